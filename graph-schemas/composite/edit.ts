import type { CompositeDefinition, GraphDocument, GraphEdge, GraphNode } from '../document';
import { edgeKey } from '../document';
import { documentBlock } from '../validate';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

/*
 * Editing the inside of a composite definition (the document's own block): add, remove, move and connect its parts.
 * Pure functions over the document, each returning a new one (sharing what it did not change) or the reason it
 * cannot be done. Every use of the block follows, since uses only name the type.
 */

export type DefinitionEdit = { ok: true; doc: GraphDocument; note?: string } | { ok: false; reason: string };
export type Position = { x: number; y: number };

export const refused = (reason: string): DefinitionEdit => ({ ok: false, reason });

/** The definition of a block type of this document, or undefined. */
export function definitionOf(doc: Pick<GraphDocument, 'blocks'>, type: string): CompositeDefinition | undefined {
  return doc.blocks.find((b) => b.type === type);
}

/** The document with one definition replaced (by type). */
export function withDefinition(
  doc: GraphDocument,
  type: string,
  change: (def: CompositeDefinition) => CompositeDefinition,
): GraphDocument {
  return { ...doc, blocks: doc.blocks.map((b) => (b.type === type ? change(b) : b)) };
}

/** Whether `inner` is `type` or holds it somewhere inside (adding it into `type` would put a block inside itself). */
export function holds(
  doc: Pick<GraphDocument, 'blocks'>,
  inner: string,
  type: string,
  seen = new Set<string>(),
): boolean {
  if (inner === type) return true;
  if (seen.has(inner)) return false;
  seen.add(inner);
  const def = definitionOf(doc, inner);
  return !!def && def.nodes.some((n) => holds(doc, n.type, type, seen));
}

/** A part id not yet used inside the definition, from the block's stem ("conv2d", "conv2d_2"). */
export function freePartId(def: CompositeDefinition, stem: string): string {
  const base = stem.replace(/[^A-Za-z0-9_]/g, '_') || 'part';
  const taken = new Set(def.nodes.map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}_${k}`)) return `${base}_${k}`;
}

/** Adds a part (a block with its default params) inside a definition; refuses a block that cannot go there. */
export function addPart(
  doc: GraphDocument,
  type: string,
  blockType: string,
  position: Position,
): (DefinitionEdit & { ok: true; nodeId: string }) | { ok: false; reason: string } {
  const def = definitionOf(doc, type);
  if (!def) return { ok: false, reason: `This document has no block "${type}" any more.` };
  const block = documentBlock(doc, blockType);
  if (!block) return { ok: false, reason: `Unknown block type "${blockType}".` };
  if (holds(doc, blockType, type))
    return {
      ok: false,
      reason:
        blockType === type
          ? `${def.title} cannot be used inside itself.`
          : `${block.title} holds ${def.title}, so it cannot go inside it (a block cannot be used inside itself).`,
    };
  const missing = def.networks.filter((n) => !block.networks.includes(n));
  if (missing.length)
    return {
      ok: false,
      reason: `${block.title} belongs in the ${block.networks.join(' or ')}, and ${def.title} is for the ${def.networks.join(' and ')}.`,
    };
  const parsed = block.params.safeParse({});
  const node: GraphNode = {
    id: freePartId(def, block.idStem ?? blockType.toLowerCase()),
    type: blockType,
    version: block.version,
    params: parsed.success ? (parsed.data as Record<string, unknown>) : {},
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return {
    ok: true,
    nodeId: node.id,
    doc: withDefinition(doc, type, (d) => ({ ...d, nodes: [...d.nodes, node] })),
  };
}

/**
 * Removes parts and connections inside a definition. Connections of a removed part go with it, and exposed params
 * lose the targets on it; a param left with none is no longer exposed (and goes from every use's params).
 */
export function removeParts(
  doc: GraphDocument,
  type: string,
  nodeIds: readonly string[],
  edgeIds: readonly string[] = [],
): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const gone = new Set(nodeIds.filter((id) => def.nodes.some((n) => n.id === id)));
  const edgesGone = new Set(edgeIds);
  const edges = def.edges.filter(
    (e) =>
      !gone.has(e.source) && !gone.has(e.target) && !edgesGone.has(e.id ?? edgeKey(e)) && !edgesGone.has(edgeKey(e)),
  );
  if (gone.size === 0 && edges.length === def.edges.length) return { ok: true, doc };
  const params = def.params
    .map((p) => ({ ...p, targets: p.targets.filter((t) => !gone.has(t.node)) }))
    .filter((p) => p.targets.length > 0);
  const dropped = def.params.filter((p) => !params.some((q) => q.name === p.name)).map((p) => p.name);
  let next = withDefinition(doc, type, (d) => ({
    ...d,
    nodes: d.nodes.filter((n) => !gone.has(n.id)),
    edges,
    params:
      dropped.length || params.some((p, i) => p.targets.length !== def.params[i]?.targets.length) ? params : d.params,
  }));
  if (dropped.length) next = withoutUseParams(next, type, dropped);
  return {
    ok: true,
    doc: next,
    ...(dropped.length
      ? {
          note: `${def.title} no longer has the parameter${dropped.length === 1 ? '' : 's'} ${dropped.map((d) => `"${d}"`).join(', ')} (it set only what was deleted).`,
        }
      : {}),
  };
}

/** Every use of `type` (in both networks) without these params. */
export function withoutUseParams(doc: GraphDocument, type: string, names: readonly string[]): GraphDocument {
  const strip = (n: GraphNode): GraphNode =>
    n.type === type && names.some((k) => k in n.params)
      ? { ...n, params: Object.fromEntries(Object.entries(n.params).filter(([k]) => !names.includes(k))) }
      : n;
  return {
    ...doc,
    generator: { ...doc.generator, nodes: doc.generator.nodes.map(strip) },
    discriminator: { ...doc.discriminator, nodes: doc.discriminator.nodes.map(strip) },
  };
}

/** Moves parts inside a definition (positions rounded, as on the canvas). */
export function moveParts(
  doc: GraphDocument,
  type: string,
  positions: Readonly<Record<string, Position>>,
): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  let changed = false;
  const nodes = def.nodes.map((n) => {
    const p = positions[n.id];
    if (!p) return n;
    const at = { x: Math.round(p.x), y: Math.round(p.y) };
    if (n.position?.x === at.x && n.position.y === at.y) return n;
    changed = true;
    return { ...n, position: at };
  });
  return { ok: true, doc: changed ? withDefinition(doc, type, (d) => ({ ...d, nodes })) : doc };
}

/** The edge as stored inside a definition (its id from its ends, as the canvas names it). */
export function partEdge(source: string, sourcePort: string, target: string, targetPort: string): GraphEdge {
  return { id: edgeKey({ source, sourcePort, target, targetPort }), source, sourcePort, target, targetPort };
}

/** Whether an id is one of the definition's two port pseudo nodes. */
export const isBoundary = (id: string): boolean => id === SUBGRAPH_INPUT || id === SUBGRAPH_OUTPUT;
