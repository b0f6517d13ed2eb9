import { useTraining } from '../app/studio';
import { attentionUnused } from './format';
import { nodeKey } from './metric-log';

type Network = 'generator' | 'discriminator';

/** γ of a SelfAttention block in the watched run, on the block itself; hints when attention stays unused. */
export function GammaBadge({ network, nodeId }: { network: Network; nodeId: string }) {
  const key = nodeKey(network, nodeId);
  const gamma = useTraining((s) => (s.watched ? s.runs[s.watched]?.gammas[key]?.gamma : undefined));
  const unused = useTraining((s) => {
    const run = s.watched ? s.runs[s.watched] : undefined;
    return run ? attentionUnused(run.gammaPeak[key], run.step) : false;
  });
  if (gamma === undefined) return null;
  return (
    <div
      className={`gamma-badge${unused ? ' unused' : ''}`}
      data-testid="gamma-badge"
      title={
        unused
          ? 'γ has stayed near 0: the network is not using this attention yet.'
          : 'γ: how much of the attention output is added to the features (starts at 0).'
      }
    >
      γ {gamma.toFixed(4)}
      {unused && <span className="gamma-hint"> · attention unused so far</span>}
    </div>
  );
}
