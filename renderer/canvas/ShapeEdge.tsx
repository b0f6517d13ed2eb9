import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
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
          opacity: selected || data?.highlighted ? 1 : 0.85,
        }}
      />
      {(data?.label || data?.highlighted || data?.problem) && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${selected ? ' selected' : ''}${data?.highlighted ? ' splice' : ''}${data?.problem ? ' problem' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, borderColor: color }}
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
