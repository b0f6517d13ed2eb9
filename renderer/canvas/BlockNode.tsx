import { Handle, Position, useStore, useUpdateNodeInternals } from '@xyflow/react';
import type { NodeProps, ReactFlowState } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { GammaBadge } from '../training/GammaBadge';
import { CompactCard, compactTooltip } from './CompactCard';
import type { BlockFlowNode } from './flow-model';
import { compactFontPx, zoomBand } from './lod';
import type { PortSide, PortView } from './node-view';
import { formatCompact, formatCount } from './node-view';

const positions: Record<PortSide, Position> = {
  top: Position.Top,
  bottom: Position.Bottom,
  left: Position.Left,
  right: Position.Right,
};

/** Where a port sits along its side: one port in the middle, several spread out. */
function offset(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

function PortHandle({
  port,
  type,
  index,
  count,
  pinned = false,
}: {
  port: PortView;
  type: 'source' | 'target';
  index: number;
  count: number;
  /** Fed by a class-label wire drawn as a pin: the port shows a "label" pin. */
  pinned?: boolean;
}) {
  const vertical = port.side === 'left' || port.side === 'right';
  const style = {
    [vertical ? 'top' : 'left']: offset(index, count),
    '--port-color': port.color,
  } as React.CSSProperties;
  return (
    <Handle
      type={type}
      id={port.name}
      position={positions[port.side]}
      style={style}
      className={`port port-${port.side}${port.problem ? ' port-problem' : ''}${port.required ? ' port-required' : ''}${pinned ? ' port-pinned' : ''}`}
      title={port.problem ? `${port.title}\n⚠ ${port.problem}` : port.title}
      data-port={port.name}
    >
      {pinned ? (
        <span className={`label-pin label-pin-${port.side}`} data-testid="label-pin">
          {port.name}
        </span>
      ) : (
        <span className={`port-label port-label-${port.side}`}>{port.name}</span>
      )}
    </Handle>
  );
}

/**
 * React Flow measures a node's handles when the node is measured (mount, resize); a port renamed in place keeps the
 * size, so the node's handles are measured again whenever their names change, or its connections would not draw.
 */
function useHandlesMeasured(id: string, ports: readonly PortView[]) {
  const update = useUpdateNodeInternals();
  const names = ports.map((p) => p.name).join('\n');
  const first = useRef(names);
  useEffect(() => {
    if (names !== first.current) update(id);
    first.current = names;
  }, [id, names, update]);
}

/**
 * The zoom band (-1: full card; 0, 1, …: compact, further out): a card re-renders when the view crosses a band
 * boundary, not on every zoom step. Asked of the card's own flow, so it holds in an opened block's view too.
 */
const bandSelector = (s: ReactFlowState) => zoomBand(s.transform[2]);

function BlockNodeCard({ id, data, selected }: NodeProps<BlockFlowNode>) {
  useHandlesMeasured(id, [...data.inputs, ...data.outputs]);
  const band = useStore(bandSelector);
  const compact = band >= 0;
  const bySide = (ports: PortView[], side: PortSide) => ports.filter((p) => p.side === side);
  const status = data.errors.length ? 'error' : data.warnings.length ? 'warning' : 'ok';
  const problems = [...data.errors, ...data.warnings];
  const pinned = new Set(data.labelPins);
  return (
    <div
      className={`block-node cat-${data.category.toLowerCase()} status-${status}${selected ? ' selected' : ''}${data.known ? '' : ' pending'}${compact ? ' compact' : ''}`}
      style={compact ? ({ '--lod-font': `${compactFontPx(band)}px` } as React.CSSProperties) : undefined}
      data-node-id={data.id}
      data-block-type={data.type}
      title={
        compact
          ? compactTooltip(data, problems)
          : problems.length
            ? problems.map((m) => `• ${m}`).join('\n')
            : undefined
      }
    >
      {(['top', 'left'] as const).flatMap((side) =>
        bySide(data.inputs, side).map((p, i, all) => (
          <PortHandle key={p.name} port={p} type="target" index={i} count={all.length} pinned={pinned.has(p.name)} />
        )),
      )}
      {/* The full card's face, one element, so zoomed out it is hidden as one (see .block-face in app.css). */}
      <div className="block-face">
        <div className="block-head">
          <span className="block-title" title={data.title}>
            {data.title}
          </span>
          {data.resolution && (
            <span className="badge badge-res" data-testid="resolution">
              {data.resolution}
            </span>
          )}
          {data.attention && <GammaBadge network={data.network} nodeId={data.id} />}
          {problems.length > 0 && (
            <span
              className={`badge badge-${status}`}
              aria-label={`${data.errors.length} errors, ${data.warnings.length} warnings`}
            >
              {status === 'error' ? '✕' : '!'} {problems.length}
            </span>
          )}
        </div>
        <div className="block-sub">
          <span className="block-id">{data.label ?? data.id}</span>
          {data.chips.map((c) => (
            <span key={c} className="chip">
              {c}
            </span>
          ))}
          {data.labelFeeds !== undefined && (
            <span
              className="chip chip-pins"
              title="Its class-label wires are drawn as pins (View → Class labels as pins)"
            >
              → {data.labelFeeds} label pin{data.labelFeeds === 1 ? '' : 's'}
            </span>
          )}
        </div>
        {(data.shape || data.params !== undefined) && (
          <div className="block-stats">
            <span className="block-shape" data-testid="shape">
              {data.shape ? `→ ${data.shape}` : ''}
            </span>
            {data.params !== undefined && data.params > 0 && (
              <span
                className="block-params"
                title={`${formatCount(data.params)} trainable parameters`}
                data-testid="params"
              >
                {formatCompact(data.params)} params
              </span>
            )}
          </div>
        )}
        {data.cost && (
          <div
            className={`block-cost${data.warnings.length ? ' costly' : ''}`}
            data-testid="cost"
            title={data.costDetail}
          >
            ◷ {data.cost}
          </div>
        )}
        {problems.length > 0 && <div className={`block-problem problem-${status}`}>{problems[0]}</div>}
      </div>
      {compact && <CompactCard data={data} status={status} problems={problems.length} />}
      {(['bottom', 'right'] as const).flatMap((side) =>
        bySide(data.outputs, side).map((p, i, all) => (
          <PortHandle key={p.name} port={p} type="source" index={i} count={all.length} />
        )),
      )}
    </div>
  );
}

/**
 * Node cards re-render only when their view or selection changes (the flow model keeps equal views
 * identical); the position React Flow also passes is applied by its wrapper, not by the card.
 */
export const BlockNode = memo(BlockNodeCard, (a, b) => a.data === b.data && a.selected === b.selected);
