import type { GraphEdge, GraphNode } from '../document';

/**
 * The inside of a block: nodes and the connections between them, where connections from `SUBGRAPH_INPUT` (port
 * = the block's input port) bring in what arrives at the block, and connections into `SUBGRAPH_OUTPUT` (port = the
 * block's output port) give what the block puts out. Built-in residual blocks describe their inside this way
 * (inner ids = the engine's sub-layer names), and a composite block stores one.
 */
export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The pseudo node whose output ports are the block's inputs (not a node id a document may use inside). */
export const SUBGRAPH_INPUT = '$in';
/** The pseudo node whose input ports are the block's outputs. */
export const SUBGRAPH_OUTPUT = '$out';

/** The id an inner node gets once its block is expanded in place: "g_up2/conv1", as the engine names sub-layers. */
export function innerId(outer: string, inner: string): string {
  return `${outer}/${inner}`;
}

/** The node ids and connections of a network, as `inline` reads and writes them. */
export interface NetworkParts {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * Replaces node `nodeId` of a network by the nodes of `inside` (ids `nodeId/inner`), wiring what fed the node's
 * input ports to the inner nodes that read them, and what the node's outputs fed to the inner nodes that give them.
 * Pure: returns a new network. Connections into an input port nothing feeds are dropped (the inner port is then
 * unconnected, and validation says so on the inner node).
 */
export function inline(net: NetworkParts, nodeId: string, inside: Subgraph): NetworkParts {
  const outer = net.nodes.find((n) => n.id === nodeId);
  if (!outer) return net;
  const id = (inner: string) => innerId(nodeId, inner);
  const feeding = new Map(net.edges.filter((e) => e.target === nodeId).map((e) => [e.targetPort, e]));
  const giving = new Map<string, { source: string; sourcePort: string }>();
  for (const e of inside.edges) {
    if (e.target === SUBGRAPH_OUTPUT && e.source !== SUBGRAPH_INPUT)
      giving.set(e.targetPort, { source: id(e.source), sourcePort: e.sourcePort });
    else if (e.target === SUBGRAPH_OUTPUT) {
      const from = feeding.get(e.sourcePort);
      if (from) giving.set(e.targetPort, { source: from.source, sourcePort: from.sourcePort });
    }
  }
  const edges: GraphEdge[] = [];
  for (const e of net.edges) {
    if (e.target === nodeId) continue;
    if (e.source === nodeId) {
      const from = giving.get(e.sourcePort);
      if (from) edges.push(rewired({ ...e, ...from }));
      continue;
    }
    edges.push(e);
  }
  for (const e of inside.edges) {
    if (e.target === SUBGRAPH_OUTPUT) continue;
    if (e.source === SUBGRAPH_INPUT) {
      const from = feeding.get(e.sourcePort);
      if (from)
        edges.push(
          rewired({ source: from.source, sourcePort: from.sourcePort, target: id(e.target), targetPort: e.targetPort }),
        );
      continue;
    }
    edges.push(
      rewired({ source: id(e.source), sourcePort: e.sourcePort, target: id(e.target), targetPort: e.targetPort }),
    );
  }
  const at = outer.position;
  const nodes = net.nodes.flatMap((n) =>
    n.id !== nodeId
      ? [n]
      : inside.nodes.map((inner) => ({
          ...inner,
          id: id(inner.id),
          ...(at ? { position: { x: at.x + (inner.position?.x ?? 0), y: at.y + (inner.position?.y ?? 0) } } : {}),
        })),
  );
  return { nodes, edges };
}

function rewired(e: Omit<GraphEdge, 'id'> & { id?: string }): GraphEdge {
  return {
    id: `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`,
    source: e.source,
    sourcePort: e.sourcePort,
    target: e.target,
    targetPort: e.targetPort,
  };
}
