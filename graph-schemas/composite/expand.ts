import type { GraphDocument } from '../document';
import { networkNames } from '../document';
import { innerNodes, MAX_COMPOSITE_DEPTH } from './as-block';
import { compositesOf } from './resolve';
import type { NetworkParts } from './subgraph';
import { inline } from './subgraph';

/**
 * The document with every use of a composite block replaced by its inside, its exposed params written into the
 * inner nodes, recursively: ids "node/inner" (and "node/inner/deeper"), so each use has its own layers and weights
 * and the engine and the PyTorch export see only catalog blocks. Call it on a document that validates (a
 * composite that holds itself is refused there); it stops at MAX_COMPOSITE_DEPTH all the same.
 */
export function expandComposites(doc: GraphDocument): GraphDocument {
  const composites = compositesOf(doc);
  if (composites.size === 0) return doc;
  const out: GraphDocument = { ...doc, blocks: [] };
  for (const network of networkNames) {
    let net: NetworkParts = doc[network];
    for (let depth = 0; depth <= MAX_COMPOSITE_DEPTH; depth++) {
      const uses = net.nodes.filter((n) => composites.has(n.type));
      if (uses.length === 0) break;
      if (depth === MAX_COMPOSITE_DEPTH)
        throw new Error(
          `Blocks in the ${network} are nested more than ${MAX_COMPOSITE_DEPTH} deep ("${uses[0]!.id}").`,
        );
      for (const use of uses) {
        const def = composites.get(use.type)!;
        net = inline(net, use.id, { nodes: innerNodes(def, use.params), edges: def.edges });
      }
    }
    out[network] = { nodes: net.nodes, edges: net.edges };
  }
  return out;
}
