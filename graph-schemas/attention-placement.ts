import type { GraphDocument, GraphEdge, NetworkName } from './document';
import type { Result } from './result';
import { err, ok } from './result';
import { validateGraph } from './validate';

/** Which networks an attention-placement sweep moves attention in. */
export type SweepNetworks = 'G' | 'D' | 'both';

export const networksOf = (which: SweepNetworks): NetworkName[] =>
  which === 'G' ? ['generator'] : which === 'D' ? ['discriminator'] : ['generator', 'discriminator'];

const short = (n: NetworkName) => (n === 'generator' ? 'G' : 'D');

/** "feat16" → 16; anything else → null. */
export function parseResolution(text: string): number | null {
  const m = /^feat(\d{1,4})$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/** The network's self-attention nodes on the canvas (not inside composite blocks). */
export function attentionNodes(doc: GraphDocument, network: NetworkName): string[] {
  return doc[network].nodes.filter((n) => n.type === 'SelfAttention').map((n) => n.id);
}

/** The square feature-map sizes ("feat8", …) in a network where attention could go, in network order. */
export function attentionResolutions(doc: GraphDocument, network: NetworkName): string[] {
  const report = validateGraph(doc);
  const seen: string[] = [];
  for (const id of report.order[network]) {
    const node = report.nodes.find((n) => n.id === id && n.network === network && !n.insideOf);
    if (node?.resolution && node.type !== 'SelfAttention' && !seen.includes(node.resolution))
      seen.push(node.resolution);
  }
  return seen;
}

/**
 * The document with a network's self-attention node moved to the k×k feature map: taken out (its input feeds what
 * it fed) and put after the first node whose output is k×k (the block that makes that map, as the paper's "feat_k"
 * means), feeding everything that node fed. `nodeId` names the node when the network has more than one.
 */
export function placeAttention(
  doc: GraphDocument,
  network: NetworkName,
  k: number,
  nodeId?: string,
): Result<GraphDocument, string> {
  const net = short(network);
  const ids = attentionNodes(doc, network);
  const id = nodeId ?? ids[0];
  if (!id || !ids.includes(id))
    return err(
      nodeId
        ? `${net} has no self-attention node "${nodeId}".`
        : `${net} has no self-attention node to move; add a SelfAttention block to it first.`,
    );
  if (!nodeId && ids.length > 1)
    return err(`${net} has ${ids.length} self-attention nodes (${ids.join(', ')}); say which one to move.`);
  const edges = doc[network].edges;
  const incoming = edges.filter((e) => e.target === id);
  if (incoming.length !== 1) return err(`${net}'s attention node ${id} has no single input to take it out of.`);
  const from = incoming[0]!;
  // Out: whatever read the attention's output reads its input instead.
  const detached: GraphEdge[] = edges
    .filter((e) => e !== from)
    .map((e) => (e.source === id ? rewired(e, from.source, from.sourcePort) : e));
  const without: GraphDocument = { ...doc, [network]: { ...doc[network], edges: detached } };
  const report = validateGraph(without);
  const want = `feat${k}`;
  const hostId = report.order[network].find((n) => {
    const node = report.nodes.find((r) => r.id === n && r.network === network && !r.insideOf);
    return node && node.id !== id && node.resolution === want;
  });
  if (!hostId) {
    const have = attentionResolutions(without, network);
    return err(`${net} has no ${k}×${k} feature map for attention (it has ${have.length ? have.join(', ') : 'none'}).`);
  }
  // In: after the host node, feeding what the host fed.
  const placed: GraphEdge[] = detached.map((e) =>
    e.source === hostId && e.sourcePort === 'out' ? rewired(e, id, 'out') : e,
  );
  placed.push({ source: hostId, sourcePort: 'out', target: id, targetPort: from.targetPort });
  return ok({ ...doc, [network]: { ...doc[network], edges: placed } });
}

/** The edge read from another output (an id it had named the old connection, so it is dropped). */
function rewired(e: GraphEdge, source: string, sourcePort: string): GraphEdge {
  const { id: _id, ...rest } = e;
  return { ...rest, source, sourcePort };
}

/** One variant of an attention-placement sweep: the document with attention at feat k in the chosen networks. */
export function attentionVariant(
  doc: GraphDocument,
  k: number,
  which: SweepNetworks,
  nodeIds: Partial<Record<NetworkName, string>> = {},
): Result<GraphDocument, string> {
  let out = doc;
  for (const network of networksOf(which)) {
    const placed = placeAttention(out, network, k, nodeIds[network]);
    if (!placed.ok) return placed;
    out = placed.value;
  }
  const report = validateGraph(out);
  const errors = report.problems.filter((p) => p.severity === 'error');
  if (errors.length)
    return err(
      `With attention at feat${k} the graph is not valid: ${errors.map((p) => (p.nodeId ? `${p.nodeId}: ${p.message}` : p.message)).join(' ')}`,
    );
  return ok({ ...out, name: `${doc.name} (attention at feat${k})` });
}
