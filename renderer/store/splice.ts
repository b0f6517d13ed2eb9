import type { GraphDocument, GraphNode, NetworkName, ValidationReport } from '../../graph-schemas';
import { checkConnection, documentBlock, getBlock, requiredLabelInputs } from '../../graph-schemas';
import type { Command, EditOutcome } from './command';
import { refuse } from './command';
import { downstreamOf, findEdge, findNode, makeEdge, withNetwork } from './doc-utils';
import type { Position } from './graph-edits';
import { createNode, roundPosition } from './graph-edits';

/** Vertical distance kept between a spliced node and the next one when a column is opened up for it. */
const COLUMN_PITCH = 120;

/**
 * Inserts a new block into an existing connection: source → new.in, new.out → target (e.g. SelfAttention
 * dropped on the feat32 edge). A required label input is wired to the network's only Class label node.
 * In a vertical chain the block takes the target's place and the chain below moves down to make room.
 */
export function spliceNewNode(
  network: NetworkName,
  edgeId: string,
  type: string,
  drop: Position,
  report?: ValidationReport,
): Command {
  return {
    label: `Insert ${getBlock(type)?.title ?? type}`,
    run: (doc) => {
      const created = createNode(doc, network, type, drop);
      if ('refused' in created) return created;
      return insertIntoEdge(doc, network, edgeId, created.node, true, report);
    },
  };
}

/** Inserts an unconnected node that the user dragged onto a connection. */
export function spliceExistingNode(
  network: NetworkName,
  edgeId: string,
  nodeId: string,
  report?: ValidationReport,
): Command {
  return {
    label: 'Insert into connection',
    run: (doc) => {
      const node = findNode(doc, network, nodeId);
      if (!node) return refuse(`Node "${nodeId}" is no longer in the ${network}.`);
      if (doc[network].edges.some((e) => e.source === nodeId || e.target === nodeId)) {
        return refuse('Only an unconnected node can be dropped into a connection; disconnect it first.');
      }
      return insertIntoEdge(doc, network, edgeId, node, false, report);
    },
  };
}

function insertIntoEdge(
  doc: GraphDocument,
  network: NetworkName,
  edgeId: string,
  node: GraphNode,
  isNew: boolean,
  report?: ValidationReport,
): EditOutcome {
  const block = documentBlock(doc, node.type);
  const edge = findEdge(doc, network, edgeId);
  if (!block) return refuse(`Unknown block type "${node.type}".`);
  if (!edge) return refuse('That connection is no longer there.');
  const inPort = block.inputs[0];
  const outPort = block.outputs[0];
  if (!inPort || !outPort)
    return refuse(`${block.title} has no ${inPort ? 'output' : 'input'}, so it cannot sit inside a connection.`);
  const title = block.title;

  const withoutEdge = withNetwork(doc, network, (net) => ({
    nodes: isNew ? [...net.nodes, node] : net.nodes,
    edges: net.edges.filter((e) => e !== edge),
  }));
  const into = { source: edge.source, sourcePort: edge.sourcePort, target: node.id, targetPort: inPort.name };
  const verdictIn = checkConnection(withoutEdge, network, into, report);
  if (!verdictIn.ok) return refuse(`${title} cannot go into this connection: ${verdictIn.reason}`);
  const afterIn = withNetwork(withoutEdge, network, (net) => ({
    ...net,
    edges: [...net.edges, makeEdge(into.source, into.sourcePort, into.target, into.targetPort)],
  }));
  const outOf = { source: node.id, sourcePort: outPort.name, target: edge.target, targetPort: edge.targetPort };
  // The new node's output kind is not in the report yet; pass the report only for the upstream side.
  const verdictOut = checkConnection(afterIn, network, outOf);
  if (!verdictOut.ok) return refuse(`${title} cannot go into this connection: ${verdictOut.reason}`);
  let next = withNetwork(afterIn, network, (net) => ({
    ...net,
    edges: [...net.edges, makeEdge(outOf.source, outOf.sourcePort, outOf.target, outOf.targetPort)],
  }));

  next = wireLabel(next, network, node);
  if (isNew) next = makeRoom(next, network, node.id, edge.source, edge.target);
  return {
    doc: next,
    selection: { network, nodes: [node.id], edges: [] },
    note: `Inserted ${title} between ${edge.source} and ${edge.target}.`,
  };
}

/** Connects a required label input to the network's only class-label source, as the presets do. */
function wireLabel(doc: GraphDocument, network: NetworkName, node: GraphNode): GraphDocument {
  const labels = doc[network].nodes.filter((n) => getBlock(n.type)?.outputs.some((p) => p.kind === 'label'));
  if (labels.length !== 1) return doc;
  let next = doc;
  for (const targetPort of requiredLabelInputs(doc, node)) {
    const req = { source: labels[0]!.id, sourcePort: 'out', target: node.id, targetPort };
    if (checkConnection(next, network, req).ok)
      next = withNetwork(next, network, (net) => ({
        ...net,
        edges: [...net.edges, makeEdge(req.source, req.sourcePort, req.target, req.targetPort)],
      }));
  }
  return next;
}

/**
 * In a vertical chain: with room between source and target, the new node goes halfway between them;
 * without, it takes the target's place and the target and everything below it move down one row.
 */
function makeRoom(
  doc: GraphDocument,
  network: NetworkName,
  nodeId: string,
  sourceId: string,
  targetId: string,
): GraphDocument {
  const net = doc[network];
  const src = findNode(doc, network, sourceId)?.position;
  const dst = findNode(doc, network, targetId)?.position;
  if (!src || !dst || Math.abs(src.x - dst.x) > 40 || dst.y <= src.y) return doc;
  const gap = dst.y - src.y;
  const fits = gap >= 2 * COLUMN_PITCH;
  const below = fits ? new Set<string>() : downstreamOf(net, targetId);
  const nodes = net.nodes.map((n) => {
    if (n.id === nodeId) return { ...n, position: roundPosition({ x: dst.x, y: fits ? src.y + gap / 2 : dst.y }) };
    if (below.has(n.id) && n.position) return { ...n, position: { x: n.position.x, y: n.position.y + COLUMN_PITCH } };
    return n;
  });
  return withNetwork(doc, network, () => ({ ...net, nodes }));
}
