import { BaseEdge, EdgeLabelRenderer, getBezierPath, Position } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ShapeFlowEdge } from './flow-model';

/** A connection coloured by the kind of tensor it carries, labelled with its shape. */
function ShapeEdgeLine({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
}: EdgeProps<ShapeFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  // A side input (noise, label) feeding a block on its own row: the curve's middle lies on that block, so the
  // label sits just right of the side input's port, in the gap between the columns.
  const beside = sourcePosition === Position.Right && targetY <= sourceY + 20;
  const labelAt = beside
    ? `translate(0, -50%) translate(${sourceX + 8}px, ${sourceY}px)`
    : `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`;
  const color = data?.problem ? 'var(--error)' : (data?.color ?? 'var(--muted)');
  const width = data?.highlighted ? 4 : selected ? 3 : 2;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        interactionWidth={28}
        className={data?.highlighted ? 'edge-splice-target' : undefined}
        style={{
          stroke: color,
          strokeWidth: width,
          strokeDasharray: data?.problem ? '6 4' : undefined,
          // stroke-opacity, not opacity: no compositing effect per edge.
          strokeOpacity: selected || data?.highlighted ? 1 : 0.85,
        }}
      />
      {(data?.label || data?.highlighted || data?.problem) && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${selected ? ' selected' : ''}${data?.highlighted ? ' splice' : ''}${data?.problem ? ' problem' : ''}`}
            style={{ transform: labelAt, borderColor: color }}
            data-edge-id={id}
            title={data?.problem}
          >
            {data?.highlighted ? `Insert here · ${data.label ?? ''}` : (data?.label ?? '⚠')}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeLine);
