import type { ConnectionRequest, DefinitionEdit, GraphDocument, KnownOutputs, PortKind } from '../../graph-schemas';
import {
  addPart,
  addPort,
  connectParts,
  definitionOf,
  deleteDefinition,
  documentBlock,
  insertPart,
  moveParts,
  removeParts,
  removePort,
  renameDefinition,
  renamePort,
  setPortKind,
} from '../../graph-schemas';
import type { Command, EditOutcome } from './command';
import { emptySelection, refuse } from './command';

/*
 * Edits of a composite block's definition (the document's own block) as undoable commands: one step each, and
 * every use of the block changes with it. The canvas's selection is left as it is, except where nodes it holds go.
 */

const titleOf = (doc: GraphDocument, type: string) => definitionOf(doc, type)?.title ?? type;

function outcome(result: DefinitionEdit | { ok: false; reason: string }): EditOutcome {
  if (!result.ok) return refuse(result.reason);
  return { doc: result.doc, ...(result.note ? { note: result.note } : {}) };
}

/** Adds a block as a part of a definition (from the palette while the definition is open). */
export function addPartTo(
  type: string,
  blockType: string,
  position: { x: number; y: number },
): Command & {
  added?: string;
} {
  const command: Command & { added?: string } = {
    label: 'Add part',
    run: (doc) => {
      command.label = `Add ${documentBlock(doc, blockType)?.title ?? blockType} to ${titleOf(doc, type)}`;
      const result = addPart(doc, type, blockType, position);
      if (result.ok) command.added = result.nodeId;
      return outcome(result);
    },
  };
  return command;
}

/** Inserts a block into a connection inside a definition (dropped from the palette onto the wire). */
export function insertPartInto(
  type: string,
  blockType: string,
  edgeId: string,
  position: { x: number; y: number },
  known?: KnownOutputs,
): Command & { added?: string } {
  const command: Command & { added?: string } = {
    label: 'Insert part',
    run: (doc) => {
      command.label = `Insert ${documentBlock(doc, blockType)?.title ?? blockType} into ${titleOf(doc, type)}`;
      const result = insertPart(doc, type, blockType, edgeId, position, known);
      if (result.ok) command.added = result.nodeId;
      return outcome(result);
    },
  };
  return command;
}

export function removePartsOf(type: string, nodeIds: readonly string[], edgeIds: readonly string[]): Command {
  const n = nodeIds.length + edgeIds.length;
  return {
    label: n === 1 ? (nodeIds.length ? 'Delete part' : 'Delete connection') : `Delete ${n} items`,
    run: (doc) => outcome(removeParts(doc, type, nodeIds, edgeIds)),
  };
}

export function connectPartsOf(type: string, req: ConnectionRequest, known?: KnownOutputs): Command {
  return { label: 'Connect', run: (doc) => outcome(connectParts(doc, type, req, known)) };
}

export function movePartsOf(type: string, positions: Readonly<Record<string, { x: number; y: number }>>): Command {
  return { label: 'Move', run: (doc) => outcome(moveParts(doc, type, positions)) };
}

export function addPortTo(type: string, side: 'input' | 'output'): Command {
  return {
    label: `Add ${side}`,
    run: (doc) => {
      const result = addPort(doc, type, side);
      if (!result.ok) return refuse(result.reason);
      const note =
        side === 'input'
          ? `${titleOf(doc, type)} has a new input "${result.name}": connect it inside, and connect something to it on every use.`
          : `${titleOf(doc, type)} has a new output "${result.name}": connect the part that gives it to the block's outputs.`;
      return { doc: result.doc, note };
    },
  };
}

export function removePortOf(type: string, side: 'input' | 'output', name: string): Command {
  return { label: `Remove ${side}`, run: (doc) => outcome(removePort(doc, type, side, name)) };
}

export function renameBlock(type: string, title: string): Command {
  return { label: 'Rename block', run: (doc) => outcome(renameDefinition(doc, type, title)) };
}

export function deleteBlock(type: string, withUses = false): Command {
  return {
    label: withUses ? 'Delete block and its uses' : 'Delete block',
    run: (doc) => {
      const result = outcome(deleteDefinition(doc, type, withUses));
      // Uses that went may have been selected.
      return withUses && 'doc' in result ? { ...result, selection: emptySelection() } : result;
    },
  };
}

export function setPortKindOf(type: string, side: 'input' | 'output', name: string, kind: PortKind): Command {
  return { label: `Change ${side} "${name}"`, run: (doc) => outcome(setPortKind(doc, type, side, name, kind)) };
}

export function renamePortOf(type: string, side: 'input' | 'output', name: string, newName: string): Command {
  return {
    label: `Rename ${side} "${name}"`,
    run: (doc) => outcome(renamePort(doc, type, side, name, newName)),
  };
}
