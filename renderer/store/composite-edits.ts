import type { GraphDocument, NetworkName } from '../../graph-schemas';
import { documentBlock, getBlock, groupIntoBlock, makeEditableCopy } from '../../graph-schemas';
import type { Command } from './command';
import { refuse } from './command';

/** Whether a node's block is a built-in with an inside (the residual blocks), so it can be copied to edit. */
export function canCopyToEdit(doc: GraphDocument, network: NetworkName, nodeId: string): boolean {
  const node = doc[network].nodes.find((n) => n.id === nodeId);
  return node !== undefined && getBlock(node.type)?.inside !== undefined;
}

/** "Make editable copy": the node becomes a use of a new block of this document holding the built-in's parts. */
export function copyToEdit(network: NetworkName, nodeId: string): Command {
  return {
    label: 'Make editable copy',
    run: (doc) => {
      const node = doc[network].nodes.find((n) => n.id === nodeId);
      if (!node) return refuse('That node is no longer there.');
      if (!canCopyToEdit(doc, network, nodeId))
        return refuse(
          `${documentBlock(doc, node.type)?.title ?? node.type} has no parts to copy; only the residual blocks are made of parts.`,
        );
      const made = makeEditableCopy(doc, network, nodeId);
      if (!made) return refuse(`Fix the parameters of "${nodeId}" first.`);
      return {
        doc: made.doc,
        selection: { network, nodes: [nodeId], edges: [] },
        note: `"${nodeId}" is now a ${made.type}, a block of this document: the palette lists it under "This document".`,
      };
    },
  };
}

/** A free type name for a new group ("Block", "Block2", …). */
export function freeGroupName(doc: GraphDocument): string {
  const taken = new Set(doc.blocks.map((b) => b.type));
  let name = 'Block';
  for (let k = 2; taken.has(name) || getBlock(name); k++) name = `Block${k}`;
  return name;
}

/** "Group into block": the selected nodes become one node of a new block type of this document. */
export function groupSelection(
  network: NetworkName,
  nodeIds: readonly string[],
  type?: string,
  expose?: readonly { node: string; param: string }[],
): Command {
  return {
    label: 'Group into block',
    run: (doc) => {
      const name = type ?? freeGroupName(doc);
      const grouped = groupIntoBlock(doc, network, nodeIds, name, name, expose);
      if (!grouped.ok) return refuse(grouped.reason);
      return {
        doc: grouped.doc,
        selection: { network, nodes: [grouped.nodeId], edges: [] },
        note: `Grouped ${nodeIds.length} node${nodeIds.length === 1 ? '' : 's'} into "${grouped.nodeId}", a ${name}: the palette lists it under "This document".`,
      };
    },
  };
}

/**
 * Sets a param of a node inside a composite block's definition: every use of the block changes with it, in one
 * undoable step. A param a use sets itself (an exposed one) is refused here, naming where to set it.
 */
export function setDefinitionParam(type: string, innerId: string, key: string, value: unknown): Command {
  return {
    label: `Edit ${type}`,
    mergeKey: `definition:${type}:${innerId}:${key}`,
    run: (doc) => {
      const def = doc.blocks.find((b) => b.type === type);
      const inner = def?.nodes.find((n) => n.id === innerId);
      if (!def || !inner) return refuse(`The block ${type} has no node "${innerId}" any more.`);
      const exposed = def.params.find((p) => p.targets.some((t) => t.node === innerId && t.param === key));
      if (exposed)
        return refuse(
          `Each use of ${def.title} sets "${key}" of "${innerId}" (its parameter "${exposed.name}"): set it on the node.`,
        );
      const nodes = def.nodes.map((n) => (n.id === innerId ? { ...n, params: { ...n.params, [key]: value } } : n));
      return { doc: { ...doc, blocks: doc.blocks.map((b) => (b === def ? { ...def, nodes } : b)) } };
    },
  };
}
