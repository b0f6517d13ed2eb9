import { getBlock } from '../blocks';
import type { GraphDocument, NetworkName } from '../document';
import { networkNames } from '../document';
import { validateGraph } from '../validate';
import { inline } from './subgraph';

/**
 * The document with every block that has an inside (the residual blocks) replaced by that inside, drawn from
 * parts, inner nodes named `block/inner`: the engine then builds layers with the built-ins' own names.
 */
export function drawnFromParts(doc: GraphDocument, networks: readonly NetworkName[] = networkNames): GraphDocument {
  const report = validateGraph(doc);
  const out: GraphDocument = JSON.parse(JSON.stringify(doc)) as GraphDocument;
  for (const network of networks) {
    for (const node of doc[network].nodes) {
      const inside = getBlock(node.type)?.inside;
      const r = report.nodes.find((n) => n.id === node.id);
      if (!inside || !r?.config) continue;
      out[network] = inline(out[network], node.id, inside(r.config, r.inputs));
    }
  }
  return out;
}
