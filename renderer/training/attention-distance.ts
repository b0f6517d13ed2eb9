import type { AttentionMapWire } from '../../graph-schemas';
import { attentionRow } from './heatmap';

/** A point in image coordinates, 0..1 on each axis. */
export interface UnitPoint {
  x: number;
  y: number;
}

/**
 * Where the engine put a query pixel: the centre of the cell of the node's own query grid (width × height) that
 * holds it, and that cell's column and row.
 */
export function queryCell(
  point: UnitPoint,
  width: number,
  height: number,
): { col: number; row: number; centre: UnitPoint } {
  const col = Math.min(width - 1, Math.max(0, Math.floor(point.x * width)));
  const row = Math.min(height - 1, Math.max(0, Math.floor(point.y * height)));
  return { col, row, centre: { x: (col + 0.5) / width, y: (row + 0.5) / height } };
}

/**
 * Attention distance: the mean distance from the query to the keys it attends to, weighted by attention
 * (Σ wₖ·|cₖ − q| / Σ wₖ over the keyHeight × keyWidth key grid, key k's centre cₖ), in units of the image side.
 * Multiply by the image size for pixels. A row of zeros has no distance (NaN).
 */
export function attentionDistance(
  row: ArrayLike<number>,
  keyHeight: number,
  keyWidth: number,
  query: UnitPoint,
): number {
  if (row.length !== keyHeight * keyWidth)
    throw new RangeError(
      `An attention row over ${keyHeight}×${keyWidth} keys has ${keyHeight * keyWidth} values, not ${row.length}.`,
    );
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < keyHeight; i++) {
    const dy = (i + 0.5) / keyHeight - query.y;
    for (let j = 0; j < keyWidth; j++) {
      const w = row[i * keyWidth + j]!;
      const dx = (j + 0.5) / keyWidth - query.x;
      sum += w * Math.hypot(dx, dy);
      weight += w;
    }
  }
  return weight > 0 ? sum / weight : NaN;
}

/** The same distance if the query attended to every key alike: the baseline a trained layer is read against. */
export function uniformDistance(keyHeight: number, keyWidth: number, query: UnitPoint): number {
  return attentionDistance(new Float32Array(keyHeight * keyWidth).fill(1), keyHeight, keyWidth, query);
}

export interface NodeDistance {
  /** Mean over the shown queries of each query's attention distance (image sides). */
  mean: number;
  /** The same for uniform attention. */
  uniform: number;
  perQuery: number[];
}

/**
 * One node's attention distance for one sample, over all its queries. Each query sits at the centre of its cell of
 * the node's query grid (queryWidth × queryHeight when the engine sent them, else the point itself).
 */
export function nodeAttentionDistance(
  map: AttentionMapWire & { queryHeight?: number; queryWidth?: number },
  sample: number,
  points: UnitPoint[],
): NodeDistance {
  const perQuery: number[] = [];
  let uniform = 0;
  points.slice(0, map.queries).forEach((p, q) => {
    const at = map.queryHeight && map.queryWidth ? queryCell(p, map.queryWidth, map.queryHeight).centre : p;
    perQuery.push(attentionDistance(attentionRow(map, sample, q), map.keyHeight, map.keyWidth, at));
    uniform += uniformDistance(map.keyHeight, map.keyWidth, at);
  });
  const n = perQuery.length;
  return {
    mean: n ? perQuery.reduce((a, b) => a + b, 0) / n : NaN,
    uniform: n ? uniform / n : NaN,
    perQuery,
  };
}
