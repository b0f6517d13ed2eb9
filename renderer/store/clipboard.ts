import type { GraphDocument, GraphEdge, GraphNode, NetworkName } from '../../graph-schemas';
import type { Command } from './command';
import { edgeIdOf, makeEdge, withNetwork } from './doc-utils';
import { allNodeIds, newNodeId } from './node-ids';

/** Copied nodes and the connections among them, as plain JSON (it also goes to the system clipboard). */
export interface ClipboardContent {
  format: 'sagan-studio/nodes';
  network: NetworkName;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyNodes(
  doc: GraphDocument,
  network: NetworkName,
  nodeIds: readonly string[],
): ClipboardContent | undefined {
  const ids = new Set(nodeIds);
  const nodes = doc[network].nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return undefined;
  const edges = doc[network].edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return structuredClone({ format: 'sagan-studio/nodes', network, nodes, edges });
}

/** Reads clipboard text written by copyNodes; anything else is not ours. */
export function parseClipboard(text: string): ClipboardContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<ClipboardContent>;
    if (value?.format !== 'sagan-studio/nodes' || !Array.isArray(value.nodes) || !Array.isArray(value.edges))
      return undefined;
    const nodes = value.nodes.filter((n): n is GraphNode => typeof n?.id === 'string' && typeof n?.type === 'string');
    return {
      format: 'sagan-studio/nodes',
      network: value.network === 'discriminator' ? 'discriminator' : 'generator',
      nodes,
      edges: value.edges,
    };
  } catch {
    return undefined;
  }
}

/** Pastes copies with fresh ids, shifted by `offset`, into `network`, and selects them. */
export function pasteNodes(
  network: NetworkName,
  content: ClipboardContent,
  offset: { x: number; y: number },
  label = 'Paste',
): Command {
  return {
    label,
    run: (doc) => {
      const taken = allNodeIds(doc);
      const rename = new Map<string, string>();
      const nodes = content.nodes.map((n) => {
        const id = newNodeId(taken, network, n.type);
        taken.add(id);
        rename.set(n.id, id);
        const { label: nodeLabel, position, ...rest } = structuredClone(n);
        const at = position ?? { x: 0, y: 0 };
        return {
          ...rest,
          id,
          ...(nodeLabel ? { label: nodeLabel } : {}),
          position: { x: Math.round(at.x + offset.x), y: Math.round(at.y + offset.y) },
        };
      });
      const edges = content.edges
        .filter((e) => rename.has(e.source) && rename.has(e.target))
        .map((e) => makeEdge(rename.get(e.source)!, e.sourcePort, rename.get(e.target)!, e.targetPort));
      const next = withNetwork(doc, network, (net) => ({
        nodes: [...net.nodes, ...nodes],
        edges: [...net.edges, ...edges],
      }));
      return { doc: next, selection: { network, nodes: nodes.map((n) => n.id), edges: edges.map(edgeIdOf) } };
    },
  };
}
