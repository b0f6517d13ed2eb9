// What the editor should show, computed independently with graph-schemas (validation is the oracle for shapes and counts).
import type { GraphDocument, NetworkName } from '../graph-schemas';
import { findPreset, getBlock, validateGraph } from '../graph-schemas';
import { spliceOut } from '../graph-schemas/test-helpers';

export function preset(name: string): GraphDocument {
  return findPreset(name)!.build();
}

/** The document with `type` (default params) inserted on the connection source → target. */
export function withBlockBetween(
  doc: GraphDocument,
  network: NetworkName,
  type: string,
  id: string,
  source: string,
  target: string,
): GraphDocument {
  const net = doc[network];
  const edge = net.edges.find((e) => e.source === source && e.target === target)!;
  const params = getBlock(type)!.params.parse({}) as Record<string, unknown>;
  net.nodes.push({ id, type, version: 1, params, position: { x: 0, y: 0 } });
  net.edges = net.edges.filter((e) => e !== edge);
  net.edges.push(
    { source, sourcePort: edge.sourcePort, target: id, targetPort: 'in' },
    { source: id, sourcePort: 'out', target, targetPort: edge.targetPort },
  );
  return doc;
}

export function without(doc: GraphDocument, network: NetworkName, id: string): GraphDocument {
  spliceOut(doc, network, id);
  return doc;
}

export function totals(doc: GraphDocument): { generator: number; discriminator: number } {
  const { totals: t } = validateGraph(doc);
  return { generator: t.generatorParams, discriminator: t.discriminatorParams };
}
