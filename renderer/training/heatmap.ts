import type { AttentionMapWire } from '../../graph-schemas';

/**
 * Attention heatmaps as in the paper's figures: one query pixel's softmax row over the key grid
 * (keyHeight×keyWidth, coarser than the image where keys are pooled), upsampled to the image and laid over it.
 */

/** The attention row of one query of one sample: keyHeight×keyWidth values, row-major. */
export function attentionRow(map: AttentionMapWire, sample: number, query: number): Float32Array {
  const keys = map.keyHeight * map.keyWidth;
  if (sample < 0 || sample >= map.samples || query < 0 || query >= map.queries)
    throw new RangeError(
      `No attention row for sample ${sample}, query ${query} in ${map.nodeId} (${map.samples} samples × ${map.queries} queries).`,
    );
  const start = (sample * map.queries + query) * keys;
  if (map.data.length < start + keys)
    throw new RangeError(
      `The attention map of ${map.nodeId} holds ${map.data.length} values, fewer than ${map.samples}×${map.queries}×${keys}.`,
    );
  return Float32Array.from(map.data.slice(start, start + keys));
}

/** Bilinear upsampling with pixel centres aligned (each key covers an equal patch of the image). */
export function upsampleBilinear(
  values: ArrayLike<number>,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Float32Array {
  const out = new Float32Array(outH * outW);
  const sy = h / outH;
  const sx = w / outW;
  for (let oy = 0; oy < outH; oy++) {
    const fy = Math.min(h - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let ox = 0; ox < outW; ox++) {
      const fx = Math.min(w - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      const top = values[y0 * w + x0]! * (1 - tx) + values[y0 * w + x1]! * tx;
      const bottom = values[y1 * w + x0]! * (1 - tx) + values[y1 * w + x1]! * tx;
      out[oy * outW + ox] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/**
 * Scales a softmax row for display: (v − min) / max. A peaked row keeps its shape (min ≈ 0), while a nearly
 * uniform one (an untrained layer attends everywhere) stays cool instead of being stretched into noise.
 */
export function normalizeHeat(values: Float32Array): Float32Array {
  let max = 0;
  let min = Infinity;
  for (const v of values) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return max > 0 ? values.map((v) => (v - min) / max) : values.map(() => 0);
}

/** How concentrated a row is: its largest weight as a multiple of the uniform weight (1 = attends everywhere alike). */
export function peakOverUniform(row: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]!);
  return max * row.length;
}

// An "inferno"-like ramp: dark purple, red, orange, pale yellow.
const STOPS: [number, number, number][] = [
  [0, 0, 4],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

export function heatColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/**
 * The image (RGBA, size×size) with the heat (0..1, size×size) laid over it: weak attention lets the image
 * show through, strong attention covers it.
 */
export function overlayHeat(image: Uint8ClampedArray, heat: Float32Array, opacity = 0.75): Uint8ClampedArray {
  if (image.length !== heat.length * 4)
    throw new RangeError(`The image has ${image.length / 4} pixels and the heatmap ${heat.length}.`);
  const out = new Uint8ClampedArray(image.length);
  for (let p = 0; p < heat.length; p++) {
    const t = heat[p]!;
    const [r, g, b] = heatColor(t);
    const a = opacity * (0.35 + 0.65 * t);
    const o = p * 4;
    out[o] = image[o]! * (1 - a) + r * a;
    out[o + 1] = image[o + 1]! * (1 - a) + g * a;
    out[o + 2] = image[o + 2]! * (1 - a) + b * a;
    out[o + 3] = 255;
  }
  return out;
}

/** One query's heat over the image: the row, upsampled from the key grid to size×size and scaled to 0..1. */
export function heatForQuery(map: AttentionMapWire, sample: number, query: number, size: number): Float32Array {
  return normalizeHeat(upsampleBilinear(attentionRow(map, sample, query), map.keyHeight, map.keyWidth, size, size));
}

/**
 * One query's heat on the legend's scale: each key's weight as a multiple of the uniform weight (1/keys),
 * upsampled to size×size and divided by scaleMax (the legend's top), clamped to 0..1.
 */
export function relativeHeat(
  map: AttentionMapWire,
  sample: number,
  query: number,
  size: number,
  scaleMax: number,
): Float32Array {
  const row = attentionRow(map, sample, query);
  const keys = row.length;
  const up = upsampleBilinear(row, map.keyHeight, map.keyWidth, size, size);
  return up.map((v) => Math.min(1, Math.max(0, (v * keys) / scaleMax)));
}

/**
 * The top of the colour scale shared by all the maps shown: the largest peak over uniform among them, at least 2×
 * (so a nearly uniform layer stays in the lower half of the ramp instead of being stretched into noise).
 */
export function heatScaleMax(maps: AttentionMapWire[], sample: number): number {
  let top = 2;
  for (const map of maps)
    for (let q = 0; q < map.queries; q++) top = Math.max(top, peakOverUniform(attentionRow(map, sample, q)));
  return top;
}

/** The ramp as a CSS gradient, for the legend. */
export function heatGradientCss(): string {
  return `linear-gradient(to right, ${STOPS.map((s, i) => `rgb(${s.join(',')}) ${(i / (STOPS.length - 1)) * 100}%`).join(', ')})`;
}
