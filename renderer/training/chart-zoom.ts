/** Zoom and pan of a chart's x range: pure arithmetic, kept inside the data's extent. */

export type Range = [number, number];

/** Scales `range` by `factor` around `at` (factor < 1 zooms in); the point under the pointer stays put. */
export function zoomRange([min, max]: Range, at: number, factor: number): Range {
  const c = Math.min(max, Math.max(min, at));
  return [c - (c - min) * factor, c + (max - c) * factor];
}

/** Moves `range` by `fraction` of its width (positive = later). */
export function panRange([min, max]: Range, fraction: number): Range {
  const d = (max - min) * fraction;
  return [min + d, max + d];
}

/**
 * Fits `range` inside the data's extent, keeping its width when it can (a pan stops at either end); null when
 * it covers the whole extent (nothing is zoomed) or the extent is a single point.
 */
export function clampRange([min, max]: Range, [lo, hi]: Range): Range | null {
  const width = max - min;
  if (!(width > 0) || hi <= lo || width >= hi - lo) return null;
  if (min < lo) return [lo, lo + width];
  if (max > hi) return [hi - width, hi];
  return [min, max];
}
