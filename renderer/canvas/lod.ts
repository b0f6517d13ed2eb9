/**
 * Levels of detail of the canvas. Zoomed out below `COMPACT_ZOOM` a node card shows only its block name, its
 * resolution and a cost bar, in type that grows as the view shrinks so it stays readable on screen.
 *
 * The zoom is cut into bands; the type size changes only from one band to the next, so zooming re-renders
 * nothing until a band boundary is crossed.
 */

/** Below this zoom the full card's type (10.5–12.5 px) reads under ~9 px on screen: nodes turn compact. */
export const COMPACT_ZOOM = 0.72;
/** Each band spans this ratio of zoom. */
const BAND_RATIO = 0.88;
/** On-screen size the compact type aims for at the low end of its band. */
export const TARGET_SCREEN_PX = 11.5;
/** Compact type in flow px, so two lines and the bar fit a 72 px tall card, and the smallest it gets. */
export const MAX_COMPACT_FONT = 28;
export const MIN_COMPACT_FONT = 14;

/** -1 at full detail; 0, 1, 2, … from `COMPACT_ZOOM` downwards, one band per `BAND_RATIO` of zoom. */
export function zoomBand(zoom: number): number {
  if (!(zoom > 0) || zoom >= COMPACT_ZOOM) return zoom > 0 ? -1 : 0;
  return Math.floor(Math.log(zoom / COMPACT_ZOOM) / Math.log(BAND_RATIO));
}

/** The smallest zoom of a band. */
export function bandFloor(band: number): number {
  return COMPACT_ZOOM * BAND_RATIO ** (band + 1);
}

/**
 * Size of the compact type in flow px for a band: `TARGET_SCREEN_PX` on screen at the band's smallest zoom,
 * within [`MIN_COMPACT_FONT`, `MAX_COMPACT_FONT`] (further out than ~0.4 it reads smaller than 11 px).
 */
export function compactFontPx(band: number): number {
  if (band < 0) return MIN_COMPACT_FONT;
  const wanted = TARGET_SCREEN_PX / bandFloor(band);
  return Math.round(Math.min(MAX_COMPACT_FONT, Math.max(MIN_COMPACT_FONT, wanted)) * 10) / 10;
}

/** The zoom below which compact type reads smaller than `px` on screen. */
export function readableDownTo(px = 11): number {
  return px / MAX_COMPACT_FONT;
}

/**
 * A node's share of the network's largest cost, 0–1, for the compact card's bar: 0 for none, and at least a
 * sliver (2 %) for any cost at all, so a cheap block still shows it has some.
 */
export function costShare(cost: number | undefined, largest: number): number {
  if (!cost || cost <= 0 || !(largest > 0)) return 0;
  return Math.max(0.02, Math.min(1, cost / largest));
}

/**
 * How Fit shows a whole network: little padding, so a preset fits at a zoom where compact cards still read at
 * ≥ 11 px (SAGAN-128's generator at 1280×800 lands near 0.43).
 */
export const FIT_VIEW = { padding: 0.05, maxZoom: 1.1 } as const;
