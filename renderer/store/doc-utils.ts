import type {
  BlockDefinition,
  GraphDocument,
  GraphEdge,
  GraphNode,
  Network,
  NetworkName,
  PortValue,
  ValidationReport,
} from '../../graph-schemas';
import { edgeKey, formatShape, getBlock } from '../../graph-schemas';

/** Documents are immutable: every edit returns a new document that shares what it did not change. */
export function withNetwork(
  doc: GraphDocument,
  network: NetworkName,
  update: (net: Network) => Network,
): GraphDocument {
  const next = update(doc[network]);
  return next === doc[network] ? doc : { ...doc, [network]: next };
}

export function edgeIdOf(edge: GraphEdge): string {
  return edge.id ?? edgeKey(edge);
}

export function makeEdge(source: string, sourcePort: string, target: string, targetPort: string): GraphEdge {
  const edge = { source, sourcePort, target, targetPort };
  return { id: edgeKey(edge), ...edge };
}

export function findNode(doc: GraphDocument, network: NetworkName, id: string): GraphNode | undefined {
  return doc[network].nodes.find((n) => n.id === id);
}

export function findEdge(doc: GraphDocument, network: NetworkName, id: string): GraphEdge | undefined {
  return doc[network].edges.find((e) => edgeIdOf(e) === id);
}

/** A block's params with every default filled in, so files and the inspector show what the engine will use. */
export function defaultParams(block: BlockDefinition): Record<string, unknown> {
  const parsed = block.params.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

export function mainInputName(type: string): string | undefined {
  return getBlock(type)?.inputs[0]?.name;
}

export function mainOutputName(type: string): string | undefined {
  return getBlock(type)?.outputs[0]?.name;
}

/** The value a validated node gives at a port, when the report knows it. */
export function reportedValue(
  report: ValidationReport | undefined,
  network: NetworkName,
  nodeId: string,
  side: 'inputs' | 'outputs',
  port: string,
): PortValue | undefined {
  return report?.nodes.find((n) => n.id === nodeId && n.network === network)?.[side][port];
}

export function sameValue(a: PortValue | undefined, b: PortValue | undefined): boolean {
  if (!a || !b) return false;
  const family = (v: PortValue) => (v.kind === 'image' ? 'feature' : v.kind === 'noise' ? 'vector' : v.kind);
  return family(a) === family(b) && formatShape(a) === formatShape(b);
}

/** Ids of the nodes reachable downstream from `start` (inclusive). */
export function downstreamOf(net: Network, start: string): Set<string> {
  const out = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const e of net.edges) if (e.source === id) stack.push(e.target);
  }
  return out;
}
