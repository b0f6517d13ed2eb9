import type { GraphDocument, NetworkName } from './document';
import { findPreset } from './presets';

/** A fresh copy of a preset to break in tests. */
export function presetDoc(name = 'sagan-32'): GraphDocument {
  return JSON.parse(JSON.stringify(findPreset(name)!.build())) as GraphDocument;
}

/** Removes a node and reconnects its single input to its consumers (like deleting a node on the canvas with splice-out). */
export function spliceOut(doc: GraphDocument, network: NetworkName, id: string): void {
  const net = doc[network];
  const into = net.edges.find((e) => e.target === id && e.targetPort === 'in');
  net.nodes = net.nodes.filter((n) => n.id !== id);
  net.edges = net.edges
    .filter((e) => e.target !== id)
    .map((e) =>
      e.source === id && into
        ? { ...e, id: `${into.source}->${e.target}.${e.targetPort}`, source: into.source, sourcePort: into.sourcePort }
        : e,
    )
    .filter((e) => e.source !== id);
}
