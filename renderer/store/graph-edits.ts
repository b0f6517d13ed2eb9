import type { ConnectionRequest, GraphDocument, GraphNode, NetworkName, ValidationReport } from '../../graph-schemas';
import { checkConnection, documentBlock, getBlock } from '../../graph-schemas';
import type { Command, EditOutcome } from './command';
import { refuse } from './command';
import {
  defaultParams,
  edgeIdOf,
  findNode,
  makeEdge,
  mainInputName,
  mainOutputName,
  reportedValue,
  sameValue,
  withNetwork,
} from './doc-utils';
import { allNodeIds, newNodeId } from './node-ids';

export type Position = { x: number; y: number };

/** Adds a block with its default params; refuses blocks that do not belong in this network. */
export function addNode(network: NetworkName, type: string, position: Position): Command {
  return {
    label: `Add ${getBlock(type)?.title ?? type}`,
    run: (doc) => {
      const created = createNode(doc, network, type, position);
      if ('refused' in created) return created;
      const next = withNetwork(doc, network, (net) => ({ ...net, nodes: [...net.nodes, created.node] }));
      return { doc: next, selection: { network, nodes: [created.node.id], edges: [] } };
    },
  };
}

export function createNode(
  doc: GraphDocument,
  network: NetworkName,
  type: string,
  position: Position,
): { node: GraphNode } | { refused: string } {
  const block = documentBlock(doc, type);
  if (!block) return { refused: `Unknown block type "${type}".` };
  if (!block.networks.includes(network)) {
    return { refused: `${block.title} belongs in the ${block.networks.join(' or ')}, not in the ${network}.` };
  }
  const id = newNodeId(allNodeIds(doc), network, type, block.idStem);
  return {
    node: { id, type, version: block.version, params: defaultParams(block), position: roundPosition(position) },
  };
}

export function roundPosition(p: Position): Position {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

/** Draws an edge if checkConnection allows it; the refusal reason is what the canvas shows. */
export function connect(network: NetworkName, req: ConnectionRequest, report?: ValidationReport): Command {
  return {
    label: 'Connect',
    run: (doc) => {
      const verdict = checkConnection(doc, network, req, report);
      if (!verdict.ok) return refuse(verdict.reason);
      const edge = makeEdge(req.source, req.sourcePort, req.target, req.targetPort);
      return {
        doc: withNetwork(doc, network, (net) => ({ ...net, edges: [...net.edges, edge] })),
        selection: { network, nodes: [], edges: [edgeIdOf(edge)] },
      };
    },
  };
}

/** Moves nodes (the end of a drag, or auto-layout). */
export function moveNodes(
  network: NetworkName,
  positions: Readonly<Record<string, Position>>,
  label = 'Move',
): Command {
  return {
    label,
    run: (doc) => {
      let changed = false;
      const next = withNetwork(doc, network, (net) => {
        const nodes = net.nodes.map((n) => {
          const p = positions[n.id];
          if (!p) return n;
          const rounded = roundPosition(p);
          if (n.position && n.position.x === rounded.x && n.position.y === rounded.y) return n;
          changed = true;
          return { ...n, position: rounded };
        });
        return changed ? { ...net, nodes } : net;
      });
      return { doc: next };
    },
  };
}

/** Sets one param of a node. The value must already be accepted by the param's schema (the inspector checks). */
export function setParam(network: NetworkName, nodeId: string, key: string, value: unknown): Command {
  return {
    label: `Set ${key}`,
    mergeKey: `param:${network}:${nodeId}:${key}`,
    run: (doc) => {
      const node = findNode(doc, network, nodeId);
      if (!node) return refuse(`Node "${nodeId}" is no longer in the ${network}.`);
      if (Object.is(node.params[key], value)) return { doc };
      return {
        doc: withNetwork(doc, network, (net) => ({
          ...net,
          nodes: net.nodes.map((n) => (n === node ? { ...n, params: { ...n.params, [key]: value } } : n)),
        })),
      };
    },
  };
}

/** Sets a node's display label (empty clears it). */
export function setNodeLabel(network: NetworkName, nodeId: string, label: string): Command {
  return {
    label: 'Rename node',
    mergeKey: `label:${network}:${nodeId}`,
    run: (doc) => {
      const node = findNode(doc, network, nodeId);
      if (!node) return refuse(`Node "${nodeId}" is no longer in the ${network}.`);
      const trimmed = label.trim();
      if ((node.label ?? '') === trimmed) return { doc };
      return {
        doc: withNetwork(doc, network, (net) => ({
          ...net,
          nodes: net.nodes.map((n) => {
            if (n !== node) return n;
            const { label: _old, ...rest } = n;
            return trimmed ? { ...rest, label: trimmed } : rest;
          }),
        })),
      };
    },
  };
}

/**
 * Deletes nodes and edges. A deleted node that passes its input through unchanged in shape (attention,
 * activations, norms) is bridged: its upstream is reconnected to its consumers, so removing G's attention
 * leaves the feat16 connection in place, ready for a new block to be dropped onto it.
 */
export function removeElements(
  network: NetworkName,
  nodeIds: readonly string[],
  edgeIds: readonly string[],
  report?: ValidationReport,
): Command {
  return {
    label:
      nodeIds.length + edgeIds.length === 1
        ? nodeIds.length
          ? 'Delete node'
          : 'Delete connection'
        : `Delete ${nodeIds.length + edgeIds.length} items`,
    run: (doc) => removeAndBridge(doc, network, new Set(nodeIds), new Set(edgeIds), report),
  };
}

function removeAndBridge(
  doc: GraphDocument,
  network: NetworkName,
  removed: Set<string>,
  removedEdges: Set<string>,
  report?: ValidationReport,
): EditOutcome {
  const net = doc[network];
  const present = new Set(net.nodes.map((n) => n.id));
  const gone = new Set([...removed].filter((id) => present.has(id)));
  const edgesGone = net.edges.filter((e) => removedEdges.has(edgeIdOf(e)) || gone.has(e.source) || gone.has(e.target));
  if (gone.size === 0 && edgesGone.length === 0) return { doc };
  const byId = new Map(net.nodes.map((n) => [n.id, n]));
  const inputEdge = (id: string) => {
    const port = mainInputName(byId.get(id)?.type ?? '');
    return port ? net.edges.find((e) => e.target === id && e.targetPort === port) : undefined;
  };
  const passesThrough = (id: string) => {
    const node = byId.get(id);
    const inPort = node && mainInputName(node.type);
    const outPort = node && mainOutputName(node.type);
    return (
      !!inPort &&
      !!outPort &&
      sameValue(
        reportedValue(report, network, id, 'inputs', inPort),
        reportedValue(report, network, id, 'outputs', outPort),
      )
    );
  };
  // The nearest surviving upstream edge through a chain of deleted pass-through nodes.
  const upstream = (id: string, seen = new Set<string>()): { source: string; sourcePort: string } | undefined => {
    if (seen.has(id) || !passesThrough(id)) return undefined;
    seen.add(id);
    const into = inputEdge(id);
    if (!into || removedEdges.has(edgeIdOf(into))) return undefined;
    return gone.has(into.source) ? upstream(into.source, seen) : { source: into.source, sourcePort: into.sourcePort };
  };

  const kept = net.edges.filter((e) => !edgesGone.includes(e));
  let next = withNetwork(doc, network, () => ({
    nodes: gone.size ? net.nodes.filter((n) => !gone.has(n.id)) : net.nodes,
    edges: kept,
  }));
  const bridged: string[] = [];
  for (const edge of edgesGone) {
    if (!gone.has(edge.source) || gone.has(edge.target) || removedEdges.has(edgeIdOf(edge))) continue;
    if (edge.sourcePort !== mainOutputName(byId.get(edge.source)!.type)) continue;
    const from = upstream(edge.source);
    if (!from) continue;
    const req = { source: from.source, sourcePort: from.sourcePort, target: edge.target, targetPort: edge.targetPort };
    if (!checkConnection(next, network, req, report).ok) continue;
    next = withNetwork(next, network, (n) => ({
      ...n,
      edges: [...n.edges, makeEdge(req.source, req.sourcePort, req.target, req.targetPort)],
    }));
    bridged.push(`${req.source} → ${req.target}`);
  }
  return {
    doc: next,
    selection: { network, nodes: [], edges: [] },
    ...(bridged.length ? { note: `Reconnected ${bridged.join(', ')} (same shape as before).` } : {}),
  };
}
