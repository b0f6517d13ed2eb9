import type { GraphDocument, Network, NetworkName } from '../../graph-schemas';
import { documentBlock } from '../../graph-schemas';
import { edgeIdOf } from '../store/doc-utils';
import type { ReportIndex } from '../validation/report-index';

/** The class-label wires of a network, and what the cards show instead when they are drawn as pins. */
export interface LabelWires {
  /** Ids of the connections that carry a class label. */
  edges: ReadonlySet<string>;
  /** Per target node, its input ports those connections feed. */
  pins: ReadonlyMap<string, readonly string[]>;
  /** Per source node, how many connections carry its label. */
  feeds: ReadonlyMap<string, number>;
}

/**
 * Finds the connections that carry a class label: by the validated value on them, or (not validated yet) by the
 * kind of the port they leave.
 */
export function labelWires(
  network: NetworkName,
  net: Network,
  index: ReportIndex | undefined,
  blocks: GraphDocument['blocks'] = [],
): LabelWires {
  const types = new Map(net.nodes.map((n) => [n.id, n.type]));
  const edges = new Set<string>();
  const pins = new Map<string, string[]>();
  const feeds = new Map<string, number>();
  for (const edge of net.edges) {
    if (!types.has(edge.source) || !types.has(edge.target)) continue;
    const id = edgeIdOf(edge);
    const kind =
      index?.edge(network, id)?.value?.kind ??
      documentBlock({ blocks }, types.get(edge.source)!)?.outputs.find((p) => p.name === edge.sourcePort)?.kind;
    if (kind !== 'label' || edges.has(id)) continue;
    edges.add(id);
    pins.set(edge.target, [...(pins.get(edge.target) ?? []), edge.targetPort]);
    feeds.set(edge.source, (feeds.get(edge.source) ?? 0) + 1);
  }
  return { edges, pins, feeds };
}
