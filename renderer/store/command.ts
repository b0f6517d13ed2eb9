import type { GraphDocument, NetworkName } from '../../graph-schemas';

/** What is selected on the canvas; one network at a time, as a person works in one network at a time. */
export interface Selection {
  network: NetworkName;
  nodes: readonly string[];
  edges: readonly string[];
}

export const emptySelection = (network: NetworkName = 'generator'): Selection => ({ network, nodes: [], edges: [] });

export type EditOutcome =
  | {
      doc: GraphDocument;
      selection?: Selection;
      /** Said to the user after the edit ("reconnected g_up2 → g_up3"). */ note?: string;
    }
  | { refused: string };

/**
 * One undoable edit. `run` is pure: it returns a new document (sharing what it did not change) or the
 * reason it cannot be done. Consecutive commands with the same mergeKey fold into one history entry
 * (typing in a field, nudging with the keyboard).
 */
export interface Command {
  label: string;
  mergeKey?: string;
  run(doc: GraphDocument): EditOutcome;
}

export const refuse = (reason: string): EditOutcome => ({ refused: reason });
