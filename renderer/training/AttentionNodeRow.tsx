import { useEffect, useRef } from 'react';
import type { AttentionMapWire } from '../../graph-schemas';
import type { NodeDistance } from './attention-distance';
import { queryCell } from './attention-distance';
import { attentionRow, overlayHeat, peakOverUniform, relativeHeat } from './heatmap';
import { QUERY_COLORS } from './training-store';

type Point = { x: number; y: number };

/** Draws the sample's pixels at their own resolution; CSS scales the canvas to a readable size. */
export function SampleCanvas({ pixels, size, points }: { pixels: Uint8ClampedArray; size: number; points: Point[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    canvas.current?.getContext('2d')?.putImageData(new ImageData(Uint8ClampedArray.from(pixels), size, size), 0, 0);
  }, [pixels, size]);
  return (
    <div className="heat-cell att-big" data-testid="attention-sample">
      <canvas ref={canvas} width={size} height={size} />
      {points.map((p, i) => (
        <QueryDot key={i} point={p} color={QUERY_COLORS[i % QUERY_COLORS.length]!} />
      ))}
    </div>
  );
}

const QueryDot = ({ point, color }: { point: Point; color: string }) => (
  <span className="query-dot" style={{ left: `${point.x * 100}%`, top: `${point.y * 100}%`, background: color }} />
);

function HeatCanvas(props: {
  pixels: Uint8ClampedArray;
  size: number;
  map: AttentionMapWire;
  sampleInMap: number;
  query: number;
  point: Point;
  scaleMax: number;
  opacity: number;
  distancePx: number;
}) {
  const { pixels, size, map, sampleInMap, query, point, scaleMax, opacity, distancePx } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const heat = relativeHeat(map, sampleInMap, query, size, scaleMax);
    ctx.putImageData(
      new ImageData(overlayHeat(pixels, heat, opacity) as Uint8ClampedArray<ArrayBuffer>, size, size),
      0,
      0,
    );
  }, [pixels, size, map, sampleInMap, query, scaleMax, opacity]);
  const peak = peakOverUniform(attentionRow(map, sampleInMap, query));
  const color = QUERY_COLORS[query % QUERY_COLORS.length]!;
  const cell = map.queryWidth && map.queryHeight ? queryCell(point, map.queryWidth, map.queryHeight) : null;
  return (
    <figure
      className="heat-figure att-figure"
      title={`Query ${query + 1}: the strongest key gets ${peak.toFixed(1)}× the weight it would get if this pixel attended to all ${map.keyHeight * map.keyWidth} keys alike; weighted by attention, the keys it looks at lie ${distancePx.toFixed(1)} px away on average.`}
    >
      <div className="heat-cell att-big" style={{ borderColor: color }}>
        <canvas
          ref={canvas}
          width={size}
          height={size}
          data-testid={`heat-${map.nodeId}-${query}`}
          data-keys={`${map.keyHeight}x${map.keyWidth}`}
          data-opacity={opacity}
        />
        <QueryDot point={point} color={color} />
      </div>
      <figcaption className="mono small" data-testid={`heat-caption-${map.nodeId}-${query}`}>
        <span className="att-swatch" style={{ background: color }} />
        {cell ? `(${cell.col}, ${cell.row})` : `(${point.x.toFixed(2)}, ${point.y.toFixed(2)})`} · peak{' '}
        {peak.toFixed(1)}× · {distancePx.toFixed(1)} px
      </figcaption>
    </figure>
  );
}

/** One SelfAttention node: its grids, γ, attention distance, and one overlay per query point. */
export function AttentionNodeRow(props: {
  map: AttentionMapWire;
  gamma: number | undefined;
  pixels: Uint8ClampedArray;
  size: number;
  sampleInMap: number;
  points: Point[];
  scaleMax: number;
  opacity: number;
  distance: NodeDistance;
}) {
  const { map, gamma, size, distance } = props;
  const net = map.network === 'generator' ? 'G' : 'D';
  return (
    <div className="attention-row" data-testid={`attention-map-${map.nodeId}`}>
      <div className="attention-label">
        <span className={`net-tag net-${net.toLowerCase()}`}>{net}</span> <strong>{map.nodeId}</strong>
        <span className="muted small">
          {map.queryWidth && map.queryHeight ? `queries ${map.queryWidth}×${map.queryHeight} · ` : ''}
          keys {map.keyHeight}×{map.keyWidth}
          {gamma !== undefined && ` · γ ${gamma.toFixed(4)}`}
        </span>
      </div>
      <p
        className="small att-distance"
        data-testid={`attention-distance-${map.nodeId}`}
        data-distance-px={(distance.mean * size).toFixed(2)}
        data-uniform-px={(distance.uniform * size).toFixed(2)}
        title="Mean distance from each query pixel to the pixels it attends to, weighted by attention, averaged over the query points (the statistic papers plot per layer). Uniform attention would give the second figure; smaller means more local."
      >
        attention distance <strong className="mono">{(distance.mean * size).toFixed(1)} px</strong>{' '}
        <span className="muted">
          (uniform {(distance.uniform * size).toFixed(1)} px; {distance.perQuery.length} quer
          {distance.perQuery.length === 1 ? 'y' : 'ies'})
        </span>
      </p>
      <div className="heat-strip">
        {props.points.map((p, q) => (
          <HeatCanvas
            key={q}
            pixels={props.pixels}
            size={size}
            map={map}
            sampleInMap={props.sampleInMap}
            query={q}
            point={p}
            scaleMax={props.scaleMax}
            opacity={props.opacity}
            distancePx={(distance.perQuery[q] ?? NaN) * size}
          />
        ))}
      </div>
    </div>
  );
}
