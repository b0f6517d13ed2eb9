import type { GraphDocument, NetworkName } from '../../graph-schemas';
import { attentionNodes, attentionResolutions } from '../../graph-schemas';

/** The paper's Table 1 placements, offered checked when the network has them. */
const PAPER = ['feat8', 'feat16', 'feat32'];

export interface PlacementChoice {
  placement: string;
  /** Where the selected attention node is now. */
  current: boolean;
  /** Checked at first: one of feat8/16/32. */
  checked: boolean;
}

/**
 * The feature-map sizes the attention of `network` can move to (and, when moving both networks, that the other
 * network has too), smallest first; feat8/16/32 checked. Empty when the other network has no attention to move.
 */
export function placementChoices(
  doc: GraphDocument,
  network: NetworkName,
  current: string | undefined,
  moveBoth: boolean,
): PlacementChoice[] {
  const other: NetworkName = network === 'generator' ? 'discriminator' : 'generator';
  if (moveBoth && attentionNodes(doc, other).length !== 1) return [];
  const mine = attentionResolutions(doc, network);
  const theirs = moveBoth ? new Set(attentionResolutions(doc, other)) : null;
  return mine
    .filter((r) => !theirs || theirs.has(r))
    .sort((a, b) => size(a) - size(b))
    .map((placement) => ({ placement, current: placement === current, checked: PAPER.includes(placement) }));
}

const size = (r: string) => Number(/\d+/.exec(r)?.[0] ?? 0);
