import type { GraphDocument, NetworkName } from '../document';
import { edgeKey, networkNames } from '../document';
import type { PortKind } from '../ports';
import type { DefinitionEdit } from './edit';
import { definitionOf, refused, removeParts, withDefinition } from './edit';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

/*
 * Managing the document's own blocks as wholes: their ports, display name, and deleting them. Pure functions over
 * the document; a use whose connections no longer fit the block is left for validation to point at.
 */

/** Where a block type is used: a node of a network, or a part inside another of the document's blocks. */
export interface BlockUse {
  /** The network, or the type of the block whose definition holds the use. */
  in: NetworkName | string;
  nodeId: string;
}

export function usesOf(doc: GraphDocument, type: string): BlockUse[] {
  const uses: BlockUse[] = [];
  for (const network of networkNames)
    for (const n of doc[network].nodes) if (n.type === type) uses.push({ in: network, nodeId: n.id });
  for (const def of doc.blocks)
    if (def.type !== type) for (const n of def.nodes) if (n.type === type) uses.push({ in: def.type, nodeId: n.id });
  return uses;
}

/** "g_up2 (generator), conv (inside Block2)", the first few. */
export function describeUses(uses: readonly BlockUse[], shown = 6): string {
  const names = uses
    .slice(0, shown)
    .map((u) => `"${u.nodeId}" (${networkNames.includes(u.in as NetworkName) ? u.in : `inside ${u.in}`})`);
  return uses.length > shown ? `${names.join(', ')} and ${uses.length - shown} more` : names.join(', ');
}

/** Gives a block a new display name: not empty, at most 200 characters, no other block of the document's. */
export function renameDefinition(doc: GraphDocument, type: string, title: string): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const name = title.trim().replace(/\s+/g, ' ');
  if (!name) return refused('A block needs a name; type one.');
  if (name.length > 200) return refused('A block name is at most 200 characters.');
  const other = doc.blocks.find((b) => b.type !== type && b.title.toLowerCase() === name.toLowerCase());
  if (other) return refused(`Another block of this document is called "${other.title}"; choose another name.`);
  if (name === def.title) return { ok: true, doc };
  return { ok: true, doc: withDefinition(doc, type, (d) => ({ ...d, title: name })) };
}

/**
 * Deletes a block of the document. While it is used, refused naming the uses, unless `withUses`: then its uses go
 * too (nodes of the networks with their connections, parts of other blocks with theirs).
 */
export function deleteDefinition(doc: GraphDocument, type: string, withUses = false): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const uses = usesOf(doc, type);
  if (uses.length && !withUses)
    return refused(
      `${def.title} is used ${uses.length === 1 ? 'once' : `${uses.length} times`}: ${describeUses(uses)}. Delete ${uses.length === 1 ? 'that use' : 'those uses'} first, or delete the block with its uses.`,
    );
  let next: GraphDocument = doc;
  for (const network of networkNames) {
    const gone = new Set(uses.filter((u) => u.in === network).map((u) => u.nodeId));
    if (!gone.size) continue;
    next = {
      ...next,
      [network]: {
        nodes: next[network].nodes.filter((n) => !gone.has(n.id)),
        edges: next[network].edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
      },
    };
  }
  for (const holder of new Set(uses.map((u) => u.in).filter((u) => !networkNames.includes(u as NetworkName)))) {
    const removed = removeParts(
      next,
      holder,
      uses.filter((u) => u.in === holder).map((u) => u.nodeId),
    );
    if (removed.ok) next = removed.doc;
  }
  next = { ...next, blocks: next.blocks.filter((b) => b.type !== type) };
  return {
    ok: true,
    doc: next,
    note: uses.length
      ? `Deleted ${def.title} and its ${uses.length === 1 ? 'use' : `${uses.length} uses`} (${describeUses(uses)}).`
      : `Deleted ${def.title}.`,
  };
}

/** A port name the definition does not have yet on that side ("in2", "out2"). */
function freePortName(names: readonly string[], stem: string): string {
  if (!names.includes(stem)) return stem;
  for (let k = 2; ; k++) if (!names.includes(`${stem}${k}`)) return `${stem}${k}`;
}

/**
 * Adds an input or output port to a block. A new input is required: each use then says, on its node, that it needs
 * a connection there; a new output is reported unconnected inside until a part feeds it.
 */
export function addPort(
  doc: GraphDocument,
  type: string,
  side: 'input' | 'output',
  kind: PortKind = 'feature',
): (DefinitionEdit & { ok: true; name: string }) | { ok: false; reason: string } {
  const def = definitionOf(doc, type);
  if (!def) return { ok: false, reason: `This document has no block "${type}" any more.` };
  const list = side === 'input' ? def.inputs : def.outputs;
  if (list.length >= 16) return { ok: false, reason: `A block has at most 16 ${side}s.` };
  const name = freePortName(
    list.map((p) => p.name),
    side === 'input' ? 'in' : 'out',
  );
  const next = withDefinition(doc, type, (d) =>
    side === 'input'
      ? { ...d, inputs: [...d.inputs, { name, accepts: [kind], required: true, description: '' }] }
      : { ...d, outputs: [...d.outputs, { name, kind, description: '' }] },
  );
  return { ok: true, name, doc: next };
}

/**
 * Removes a port from a block, with the connections inside that use it and the connections of every use at it
 * (a use keeps its other connections). The last output is kept: a block gives something.
 */
export function removePort(doc: GraphDocument, type: string, side: 'input' | 'output', name: string): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const list = side === 'input' ? def.inputs : def.outputs;
  if (!list.some((p) => p.name === name)) return refused(`${def.title} has no ${side} "${name}".`);
  if (side === 'output' && def.outputs.length === 1) return refused(`${def.title} needs at least one output.`);
  const boundary = side === 'input' ? SUBGRAPH_INPUT : SUBGRAPH_OUTPUT;
  const inside = (e: { source: string; sourcePort: string; target: string; targetPort: string }) =>
    side === 'input' ? e.source === boundary && e.sourcePort === name : e.target === boundary && e.targetPort === name;
  let next = withDefinition(doc, type, (d) => ({
    ...d,
    inputs: side === 'input' ? d.inputs.filter((p) => p.name !== name) : d.inputs,
    outputs: side === 'output' ? d.outputs.filter((p) => p.name !== name) : d.outputs,
    edges: d.edges.filter((e) => !inside(e)),
  }));
  const cut: string[] = [];
  const uses = usesOf(doc, type);
  const atPort = (where: string) => {
    const ids = new Set(uses.filter((u) => u.in === where).map((u) => u.nodeId));
    return (e: { source: string; sourcePort: string; target: string; targetPort: string }) =>
      side === 'input' ? ids.has(e.target) && e.targetPort === name : ids.has(e.source) && e.sourcePort === name;
  };
  for (const network of networkNames) {
    const fits = atPort(network);
    const edges = next[network].edges.filter((e) => !fits(e) || !cut.push(edgeKey(e)));
    if (edges.length !== next[network].edges.length) next = { ...next, [network]: { ...next[network], edges } };
  }
  next = {
    ...next,
    blocks: next.blocks.map((b) => {
      if (b.type === type) return b;
      const fits = atPort(b.type);
      const edges = b.edges.filter((e) => !fits(e) || !cut.push(edgeKey(e)));
      return edges.length === b.edges.length ? b : { ...b, edges };
    }),
  };
  return {
    ok: true,
    doc: next,
    ...(cut.length
      ? {
          note: `Removed ${side} "${name}" and ${cut.length === 1 ? 'the connection' : `${cut.length} connections`} of its uses there.`,
        }
      : {}),
  };
}

/**
 * Sets what a port carries (an input then accepts that kind, an output gives it). Connections that no longer fit,
 * inside or at a use, are left for validation to name, on the node concerned.
 */
export function setPortKind(
  doc: GraphDocument,
  type: string,
  side: 'input' | 'output',
  name: string,
  kind: PortKind,
): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const list = side === 'input' ? def.inputs : def.outputs;
  if (!list.some((p) => p.name === name)) return refused(`${def.title} has no ${side} "${name}".`);
  return {
    ok: true,
    doc: withDefinition(doc, type, (d) =>
      side === 'input'
        ? { ...d, inputs: d.inputs.map((p) => (p.name === name ? { ...p, accepts: [kind] } : p)) }
        : { ...d, outputs: d.outputs.map((p) => (p.name === name ? { ...p, kind } : p)) },
    ),
  };
}

const PORT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

/**
 * Renames a port of a block: a letter or "_" then letters, digits or "_" (at most 40), not another port's name of
 * the block (inputs and outputs together). The connections inside at it and those of every use follow; a
 * connection whose id was its ends' key gets the new key.
 */
export function renamePort(
  doc: GraphDocument,
  type: string,
  side: 'input' | 'output',
  name: string,
  newName: string,
): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const list = side === 'input' ? def.inputs : def.outputs;
  if (!list.some((p) => p.name === name)) return refused(`${def.title} has no ${side} "${name}".`);
  const to = newName.trim();
  if (!to) return refused(`A port needs a name; type one for ${side} "${name}".`);
  if (to === name) return { ok: true, doc };
  if (!PORT_NAME.test(to))
    return refused(
      `"${to}" cannot name a port: use a letter or "_" then letters, digits or "_" (at most 40), e.g. "skip_in".`,
    );
  const taken = [...def.inputs, ...def.outputs].find((p) => p.name === to);
  if (taken) return refused(`${def.title} already has a port "${to}"; choose another name.`);
  type Edge = GraphDocument['generator']['edges'][number];
  const renamed = (e: Edge, atSource: boolean): Edge => {
    const next = atSource ? { ...e, sourcePort: to } : { ...e, targetPort: to };
    return e.id === undefined || e.id === edgeKey(e) ? { ...next, id: edgeKey(next) } : next;
  };
  const boundary = side === 'input' ? SUBGRAPH_INPUT : SUBGRAPH_OUTPUT;
  // Inside, the port is an output of "$in" or an input of "$out"; on a use, an input or an output of the node.
  const insideEdge = (e: Edge) =>
    side === 'input'
      ? e.source === boundary && e.sourcePort === name
        ? renamed(e, true)
        : e
      : e.target === boundary && e.targetPort === name
        ? renamed(e, false)
        : e;
  let next = withDefinition(doc, type, (d) => ({
    ...d,
    inputs: side === 'input' ? d.inputs.map((p) => (p.name === name ? { ...p, name: to } : p)) : d.inputs,
    outputs: side === 'output' ? d.outputs.map((p) => (p.name === name ? { ...p, name: to } : p)) : d.outputs,
    edges: d.edges.map(insideEdge),
  }));
  const uses = usesOf(doc, type);
  const atUse = (where: string) => {
    const ids = new Set(uses.filter((u) => u.in === where).map((u) => u.nodeId));
    return (e: Edge): Edge =>
      side === 'input'
        ? ids.has(e.target) && e.targetPort === name
          ? renamed(e, false)
          : e
        : ids.has(e.source) && e.sourcePort === name
          ? renamed(e, true)
          : e;
  };
  for (const network of networkNames) {
    const follow = atUse(network);
    next = { ...next, [network]: { ...next[network], edges: next[network].edges.map(follow) } };
  }
  next = {
    ...next,
    blocks: next.blocks.map((b) => (b.type === type ? b : { ...b, edges: b.edges.map(atUse(b.type)) })),
  };
  return { ok: true, doc: next };
}
