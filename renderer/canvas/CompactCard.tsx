import { GammaBadge } from '../training/GammaBadge';
import { formatCompact } from './node-view';
import type { BlockNodeData } from './node-view';

/**
 * The tooltip of a compact card, on the whole card (the compact layer lets the pointer through to the card, so
 * clicks and drags act on the node): the full title, whatever the card cut short, and the problems.
 */
export function compactTooltip(data: BlockNodeData, problems: readonly string[]): string {
  const lines = [`${data.title} · ${data.label ?? data.id}`];
  const facts = [data.shape ? `→ ${data.shape}` : data.size, data.params ? `${formatCompact(data.params)} params` : ''];
  if (data.costShare) facts.push(`${Math.round(data.costShare * 100)} % of the largest block's parameters`);
  if (data.cost) facts.push(data.cost);
  lines.push(facts.filter(Boolean).join(' · '));
  return [...lines.filter(Boolean), ...problems.map((m) => `• ${m}`)].join('\n');
}

/**
 * The card zoomed out: block name, size and a bar of its parameters next to the network's largest block, in type
 * sized by the pane (`--lod-font`) to read at that zoom. It covers the full card, whose size it keeps, so edges
 * and the layout do not move.
 */
export function CompactCard({
  data,
  status,
  problems,
}: {
  data: BlockNodeData;
  status: 'error' | 'warning' | 'ok';
  problems: number;
}) {
  const name = data.shortTitle ?? data.title;
  const share = data.costShare ?? 0;
  return (
    <div className="block-compact" data-testid="compact">
      <div className="compact-head">
        <span className="compact-title">{name}</span>
        {problems > 0 && (
          <span className={`compact-badge compact-${status}`} aria-label={`${problems} problems`}>
            {status === 'error' ? '✕' : '!'}
            {problems}
          </span>
        )}
      </div>
      <div className="compact-meta">
        <span className="compact-size" data-testid="compact-size">
          {data.size ?? ''}
        </span>
        {data.attention && <GammaBadge network={data.network} nodeId={data.id} compact />}
        {share > 0 && (
          <span className="cost-bar" data-testid="cost-bar" data-share={share}>
            <span className="cost-fill" style={{ width: `${share * 100}%` }} />
          </span>
        )}
      </div>
    </div>
  );
}
