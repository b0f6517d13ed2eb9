import type { ConnectionRequest, ConnectionVerdict } from '../connections';
import { reaches, requiredLabelInputs } from '../connections';
import type { GraphDocument } from '../document';
import { edgeKey } from '../document';
import type { PortKind, PortValue } from '../ports';
import { describeAccepted, describeValue, kindSatisfies } from '../ports';
import { documentBlock } from '../validate';
import type { DefinitionEdit } from './edit';
import { addPart, definitionOf, partEdge, refused, withDefinition } from './edit';
import { SUBGRAPH_INPUT, SUBGRAPH_OUTPUT } from './subgraph';

/** What one use of the block knows flows out of each part ("$in": the values at the use's inputs). */
export type KnownOutputs = (nodeId: string, port: string) => PortValue | undefined;

interface End {
  title: string;
  /** Ports on this side of the end (outputs at a source, inputs at a target), with what they give or take. */
  ports: { name: string; kinds: readonly PortKind[] }[];
  many: boolean;
}

/**
 * Whether a connection may be drawn inside a composite definition, and if not, why: the network canvas's rules
 * (ports exist, kinds fit, one connection per input, no cycle), with the block's inputs ("$in") and outputs ("$out")
 * as two more ends. Kinds are checked against what a use of the block actually carries where that is known.
 */
export function checkPartConnection(
  doc: GraphDocument,
  type: string,
  req: ConnectionRequest,
  known?: KnownOutputs,
): ConnectionVerdict {
  const def = definitionOf(doc, type);
  if (!def) return { ok: false, reason: `This document has no block "${type}" any more.` };
  if (req.source === SUBGRAPH_OUTPUT || req.target === SUBGRAPH_INPUT)
    return {
      ok: false,
      reason: `Connections run from the block's inputs into its parts, and from its parts into the block's outputs.`,
    };
  if (req.source === req.target) return { ok: false, reason: 'A node cannot feed itself.' };
  const end = (id: string, side: 'source' | 'target'): End | undefined => {
    if (id === SUBGRAPH_INPUT)
      return {
        title: `${def.title}'s inputs`,
        ports: def.inputs.map((p) => ({ name: p.name, kinds: p.accepts })),
        many: true,
      };
    if (id === SUBGRAPH_OUTPUT)
      return {
        title: `${def.title}'s outputs`,
        ports: def.outputs.map((p) => ({ name: p.name, kinds: [p.kind] })),
        many: true,
      };
    const node = def.nodes.find((n) => n.id === id);
    const block = node && documentBlock(doc, node.type);
    if (!block) return undefined;
    const ports =
      side === 'source'
        ? block.outputs.map((p) => ({ name: p.name, kinds: [p.kind] }))
        : block.inputs.map((p) => ({ name: p.name, kinds: p.accepts }));
    return { title: block.title, ports, many: block.inputs.length > 1 };
  };
  const src = end(req.source, 'source');
  const dst = end(req.target, 'target');
  if (!src || !dst) return { ok: false, reason: `Both ends must be parts of ${def.title}, or its inputs and outputs.` };
  const out = src.ports.find((p) => p.name === req.sourcePort);
  const inp = dst.ports.find((p) => p.name === req.targetPort);
  if (!out) return { ok: false, reason: `${src.title} has no output "${req.sourcePort}".` };
  if (!inp) return { ok: false, reason: `${dst.title} has no input "${req.targetPort}".` };
  const value = known?.(req.source, req.sourcePort);
  const given: readonly PortKind[] = value ? [value.kind] : out.kinds;
  if (!given.some((k) => kindSatisfies(k, inp.kinds))) {
    const where = dst.many ? ` on "${inp.name}"` : '';
    const what = value ? describeValue(value) : describeAccepted(given);
    return {
      ok: false,
      reason: `${dst.title} expects ${describeAccepted(inp.kinds)}${where}; ${src.title} gives ${what}.`,
    };
  }
  const occupied = def.edges.find((e) => e.target === req.target && e.targetPort === req.targetPort);
  if (occupied) {
    const from = occupied.source === SUBGRAPH_INPUT ? `input "${occupied.sourcePort}"` : `"${occupied.source}"`;
    const what =
      req.target === SUBGRAPH_OUTPUT
        ? `Output "${req.targetPort}" of ${def.title}`
        : `Input "${req.targetPort}" of ${dst.title}`;
    return { ok: false, reason: `${what} is already connected (from ${from}); remove that connection first.` };
  }
  if (reaches(def.edges, req.target, req.source))
    return { ok: false, reason: 'This connection would make a cycle; a block flows one way.' };
  return { ok: true };
}

/** Draws a connection inside a definition if checkPartConnection allows it. */
export function connectParts(
  doc: GraphDocument,
  type: string,
  req: ConnectionRequest,
  known?: KnownOutputs,
): DefinitionEdit {
  const verdict = checkPartConnection(doc, type, req, known);
  if (!verdict.ok) return refused(verdict.reason);
  const edge = partEdge(req.source, req.sourcePort, req.target, req.targetPort);
  return { ok: true, doc: withDefinition(doc, type, (d) => ({ ...d, edges: [...d.edges, edge] })) };
}

/** Removes connections inside a definition, by id (or their ends' key). */
export function disconnectParts(doc: GraphDocument, type: string, edgeIds: readonly string[]): DefinitionEdit {
  const def = definitionOf(doc, type);
  if (!def) return refused(`This document has no block "${type}" any more.`);
  const gone = new Set(edgeIds);
  const edges = def.edges.filter((e) => !gone.has(e.id ?? edgeKey(e)) && !gone.has(edgeKey(e)));
  return {
    ok: true,
    doc: edges.length === def.edges.length ? doc : withDefinition(doc, type, (d) => ({ ...d, edges })),
  };
}

/**
 * Inserts a new part into a connection inside a definition, as a block dropped on a wire of the network: the
 * connection's source → the part's first input, its first output → the connection's target. Refused, changing
 * nothing, when the part cannot sit there or either new connection does not fit.
 */
export function insertPart(
  doc: GraphDocument,
  type: string,
  blockType: string,
  edgeId: string,
  position: { x: number; y: number },
  known?: KnownOutputs,
): (DefinitionEdit & { ok: true; nodeId: string }) | { ok: false; reason: string } {
  const def = definitionOf(doc, type);
  if (!def) return { ok: false, reason: `This document has no block "${type}" any more.` };
  const edge = def.edges.find((e) => (e.id ?? edgeKey(e)) === edgeId || edgeKey(e) === edgeId);
  if (!edge) return { ok: false, reason: 'That connection is no longer there.' };
  const added = addPart(doc, type, blockType, position);
  if (!added.ok) return added;
  const block = documentBlock(doc, blockType)!;
  const [inPort, outPort] = [block.inputs[0], block.outputs[0]];
  if (!inPort || !outPort)
    return {
      ok: false,
      reason: `${block.title} has no ${inPort ? 'output' : 'input'}, so it cannot sit inside a connection.`,
    };
  let next = disconnectParts(added.doc, type, [edgeId]);
  for (const req of [
    { source: edge.source, sourcePort: edge.sourcePort, target: added.nodeId, targetPort: inPort.name },
    { source: added.nodeId, sourcePort: outPort.name, target: edge.target, targetPort: edge.targetPort },
  ]) {
    const made = next.ok ? connectParts(next.doc, type, req, known) : next;
    if (!made.ok) return { ok: false, reason: `${block.title} cannot go into this connection: ${made.reason}` };
    next = made;
  }
  if (!next.ok) return next;
  const labelled = wireLabelInputs(next.doc, type, added.nodeId, known);
  return {
    ok: true,
    doc: labelled,
    nodeId: added.nodeId,
    note: `Inserted ${block.title} between ${edge.source} and ${edge.target}.`,
  };
}

/**
 * Connects each required class-label input of a part to the definition's only label source (the block's label
 * input, or a part that gives a label), as a block dropped on a wire of the network is wired to its Class label.
 * With no source, or several to choose from, the input is left for the user, and validation says it is open.
 */
function wireLabelInputs(doc: GraphDocument, type: string, nodeId: string, known?: KnownOutputs): GraphDocument {
  const def = definitionOf(doc, type);
  const node = def?.nodes.find((n) => n.id === nodeId);
  if (!def || !node) return doc;
  const inputs = requiredLabelInputs(doc, node);
  const sources = [
    ...def.inputs.filter((p) => p.accepts.includes('label')).map((p) => ({ node: SUBGRAPH_INPUT, port: p.name })),
    ...def.nodes.flatMap((n) =>
      n.id === nodeId
        ? []
        : (documentBlock(doc, n.type)?.outputs ?? [])
            .filter((p) => p.kind === 'label')
            .map((p) => ({ node: n.id, port: p.name })),
    ),
  ];
  const source = sources.length === 1 ? sources[0]! : undefined;
  if (!source) return doc;
  let next = doc;
  for (const targetPort of inputs) {
    const req = { source: source.node, sourcePort: source.port, target: nodeId, targetPort };
    const made = connectParts(next, type, req, known);
    if (made.ok) next = made.doc;
  }
  return next;
}
