import type { EdgeReport, NetworkName, NodeReport, Problem, ValidationReport } from '../../graph-schemas';

export interface ReportIndex {
  node(network: NetworkName, id: string): NodeReport | undefined;
  problemsOf(network: NetworkName, id: string): readonly Problem[];
  edge(network: NetworkName, id: string): EdgeReport | undefined;
  /** Problems about a connection itself (a refused kind on an existing edge). */
  edgeProblems(network: NetworkName, id: string): readonly Problem[];
  /** Problems of a network that name no node ("the generator has no Noise z node"). */
  networkProblems(network: NetworkName): readonly Problem[];
  counts(network: NetworkName): { errors: number; warnings: number };
}

const none: readonly Problem[] = [];
const cache = new WeakMap<ValidationReport, ReportIndex>();

/** Lookups by node and edge, built once per report so 300 node cards each find theirs quickly. */
export function indexReport(report: ValidationReport): ReportIndex {
  const cached = cache.get(report);
  if (cached) return cached;
  const key = (network: NetworkName, id: string) => `${network}\u0000${id}`;
  const nodes = new Map(report.nodes.map((n) => [key(n.network, n.id), n]));
  const edges = new Map(report.edges.map((e) => [key(e.network, e.id), e]));
  const byNode = new Map<string, Problem[]>();
  const byEdge = new Map<string, Problem[]>();
  const byNetwork: Record<NetworkName, Problem[]> = { generator: [], discriminator: [] };
  const counts = { generator: { errors: 0, warnings: 0 }, discriminator: { errors: 0, warnings: 0 } };
  for (const p of report.problems) {
    const network = p.network ?? 'generator';
    counts[network][p.severity === 'error' ? 'errors' : 'warnings']++;
    if (p.nodeId)
      (byNode.get(key(network, p.nodeId)) ?? byNode.set(key(network, p.nodeId), []).get(key(network, p.nodeId))!).push(
        p,
      );
    else if (!p.edgeId) byNetwork[network].push(p);
    // A problem inside a composite node shows on that node too (its inside is not on the canvas).
    if (p.insideOf && p.nodeId !== p.insideOf)
      (
        byNode.get(key(network, p.insideOf)) ?? byNode.set(key(network, p.insideOf), []).get(key(network, p.insideOf))!
      ).push(p);
    if (p.edgeId)
      (byEdge.get(key(network, p.edgeId)) ?? byEdge.set(key(network, p.edgeId), []).get(key(network, p.edgeId))!).push(
        p,
      );
  }
  const index: ReportIndex = {
    node: (network, id) => nodes.get(key(network, id)),
    problemsOf: (network, id) => byNode.get(key(network, id)) ?? none,
    edge: (network, id) => edges.get(key(network, id)),
    edgeProblems: (network, id) => byEdge.get(key(network, id)) ?? none,
    networkProblems: (network) => byNetwork[network],
    counts: (network) => counts[network],
  };
  cache.set(report, index);
  return index;
}
