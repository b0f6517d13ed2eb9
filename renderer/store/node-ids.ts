import type { GraphDocument, NetworkName } from '../../graph-schemas';
import { getBlock } from '../../graph-schemas';

export function allNodeIds(doc: GraphDocument): Set<string> {
  return new Set([...doc.generator.nodes, ...doc.discriminator.nodes].map((n) => n.id));
}

/** A new node id unique across both networks (the validator refuses ids shared between G and D), from the block's stem. */
export function newNodeId(
  taken: Set<string>,
  network: NetworkName,
  type: string,
  idStem: string | undefined = getBlock(type)?.idStem,
): string {
  const stem = `${network === 'generator' ? 'g' : 'd'}_${idStem ?? type.toLowerCase()}`;
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}${i}`)) return `${stem}${i}`;
}
