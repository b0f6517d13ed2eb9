import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { GraphDocument } from '../../graph-schemas';
import type { Command, Selection } from './command';
import { emptySelection } from './command';

export interface HistoryEntry {
  label: string;
  before: GraphDocument;
  after: GraphDocument;
  selectionBefore: Selection;
  selectionAfter: Selection;
  mergeKey?: string;
  at: number;
}

export interface FileInfo {
  /** Where the document was last opened from or saved to; null for a new or recovered document. */
  path: string | null;
  /** The file's modification time when read or written, so a save does not overwrite someone else's change. */
  mtimeMs: number | null;
}

export interface EditorState {
  /** The graph document itself, immutable: every edit replaces it. */
  doc: GraphDocument;
  selection: Selection;
  past: readonly HistoryEntry[];
  future: readonly HistoryEntry[];
  file: FileInfo;
  /** The document as it is on disk; the editor is dirty when `doc` is another object. */
  savedDoc: GraphDocument | null;
}

export type ExecuteResult = { ok: true; changed: boolean; note?: string } | { ok: false; reason: string };

export interface EditorActions {
  execute(command: Command): ExecuteResult;
  undo(): string | undefined;
  redo(): string | undefined;
  select(selection: Selection): void;
  /** Replaces the document (new, open, restore) and clears history. `clean` when it matches a file on disk or is a fresh preset. */
  load(doc: GraphDocument, file: FileInfo, clean: boolean): void;
  markSaved(doc: GraphDocument, file: FileInfo): void;
}

export type EditorStore = StoreApi<EditorState & EditorActions>;

export interface EditorStoreOptions {
  /** Edits with the same mergeKey closer together than this fold into one undo step. */
  mergeWindowMs?: number;
  historyLimit?: number;
  now?: () => number;
}

export function isDirty(state: Pick<EditorState, 'doc' | 'savedDoc'>): boolean {
  return state.doc !== state.savedDoc;
}

export function createEditorStore(initial: GraphDocument, options: EditorStoreOptions = {}): EditorStore {
  const mergeWindowMs = options.mergeWindowMs ?? 1500;
  const historyLimit = options.historyLimit ?? 300;
  const now = options.now ?? (() => Date.now());

  return createStore<EditorState & EditorActions>()((set, get) => ({
    doc: initial,
    selection: emptySelection(),
    past: [],
    future: [],
    file: { path: null, mtimeMs: null },
    savedDoc: initial,

    execute(command) {
      const state = get();
      const outcome = command.run(state.doc);
      if ('refused' in outcome) return { ok: false, reason: outcome.refused };
      const selectionAfter = outcome.selection ?? state.selection;
      if (outcome.doc === state.doc) {
        if (outcome.selection) set({ selection: selectionAfter });
        return { ok: true, changed: false, ...(outcome.note ? { note: outcome.note } : {}) };
      }
      const at = now();
      const last = state.past[state.past.length - 1];
      const merges =
        command.mergeKey !== undefined &&
        last?.mergeKey === command.mergeKey &&
        state.future.length === 0 &&
        at - last.at < mergeWindowMs;
      const entry: HistoryEntry = merges
        ? { ...last, after: outcome.doc, selectionAfter, at }
        : {
            label: command.label,
            before: state.doc,
            after: outcome.doc,
            selectionBefore: state.selection,
            selectionAfter,
            at,
            ...(command.mergeKey ? { mergeKey: command.mergeKey } : {}),
          };
      const past = merges ? [...state.past.slice(0, -1), entry] : [...state.past, entry].slice(-historyLimit);
      set({ doc: outcome.doc, selection: selectionAfter, past, future: [] });
      return { ok: true, changed: true, ...(outcome.note ? { note: outcome.note } : {}) };
    },

    undo() {
      const { past, future } = get();
      const entry = past[past.length - 1];
      if (!entry) return undefined;
      set({ doc: entry.before, selection: entry.selectionBefore, past: past.slice(0, -1), future: [entry, ...future] });
      return entry.label;
    },

    redo() {
      const { past, future } = get();
      const entry = future[0];
      if (!entry) return undefined;
      // A redone edit never merges with the next one.
      set({
        doc: entry.after,
        selection: entry.selectionAfter,
        past: [...past, { ...entry, at: -Infinity }],
        future: future.slice(1),
      });
      return entry.label;
    },

    select(selection) {
      const current = get().selection;
      if (
        current.network === selection.network &&
        sameIds(current.nodes, selection.nodes) &&
        sameIds(current.edges, selection.edges)
      )
        return;
      set({ selection });
    },

    load(doc, file, clean) {
      set({ doc, file, savedDoc: clean ? doc : null, past: [], future: [], selection: emptySelection() });
    },

    markSaved(doc, file) {
      set({ file, savedDoc: doc });
    },
  }));
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
