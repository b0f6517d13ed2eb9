import { useTraining } from '../app/studio';
import { attentionUnused } from './format';
import { nodeKey } from './metric-log';

type Network = 'generator' | 'discriminator';

/**
 * γ of a SelfAttention block in the watched run, a badge in the card's title row (the card does not grow, so it
 * never reaches the next connection's shape label); hints when attention stays unused.
 */
export function GammaBadge({
  network,
  nodeId,
  compact = false,
}: {
  network: Network;
  nodeId: string;
  /** On the compact (zoomed-out) card: three decimals, in the card's type. */
  compact?: boolean;
}) {
  const key = nodeKey(network, nodeId);
  const gamma = useTraining((s) => (s.watched ? s.runs[s.watched]?.gammas[key]?.gamma : undefined));
  const unused = useTraining((s) => {
    const run = s.watched ? s.runs[s.watched] : undefined;
    return run ? attentionUnused(run.gammaPeak[key], run.step) : false;
  });
  if (gamma === undefined) return null;
  return (
    <span
      className={compact ? `compact-gamma${unused ? ' unused' : ''}` : `badge gamma-badge${unused ? ' unused' : ''}`}
      data-testid={compact ? 'gamma-badge-compact' : 'gamma-badge'}
      title={
        unused
          ? `γ ${gamma.toFixed(4)}: attention unused so far. γ has stayed near 0: the network is not using this attention yet.`
          : `γ ${gamma.toFixed(4)}: how much of the attention output is added to the features (starts at 0).`
      }
      aria-label={unused ? `γ ${gamma.toFixed(4)}, attention unused so far` : `γ ${gamma.toFixed(4)}`}
    >
      γ {gamma.toFixed(unused || compact ? 3 : 4)}
      {unused && <span className="gamma-hint">!</span>}
    </span>
  );
}
