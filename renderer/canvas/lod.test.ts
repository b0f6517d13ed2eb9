import { describe, expect, it } from 'vitest';
import {
  bandFloor,
  COMPACT_ZOOM,
  compactFontPx,
  costShare,
  MAX_COMPACT_FONT,
  MIN_COMPACT_FONT,
  readableDownTo,
  TARGET_SCREEN_PX,
  zoomBand,
} from './lod';

describe('level of detail by zoom', () => {
  it('shows the full card from COMPACT_ZOOM up, compact cards below it', () => {
    expect(zoomBand(1)).toBe(-1);
    expect(zoomBand(COMPACT_ZOOM)).toBe(-1);
    expect(zoomBand(COMPACT_ZOOM - 0.001)).toBe(0);
    expect(zoomBand(0.4)).toBeGreaterThan(0);
  });

  it('changes band only at band boundaries, so zooming within a band re-renders nothing', () => {
    const floor = bandFloor(2);
    expect(zoomBand(floor)).toBe(2);
    expect(zoomBand(floor * 1.01)).toBe(2);
    expect(zoomBand(floor * 0.999)).toBe(3);
    // Bands only grow as the zoom shrinks.
    let last = -1;
    for (let z = 1; z > 0.05; z *= 0.97) {
      const band = zoomBand(z);
      expect(band).toBeGreaterThanOrEqual(last);
      last = band;
    }
  });

  it('sizes compact type to read at ≥ 11 px on screen anywhere in its band, down to readableDownTo()', () => {
    for (let z = COMPACT_ZOOM - 0.0001; z >= readableDownTo(11); z *= 0.99) {
      expect(compactFontPx(zoomBand(z)) * z).toBeGreaterThanOrEqual(11);
    }
    // At the low end of a band it aims for TARGET_SCREEN_PX (until the cap).
    expect(compactFontPx(0) * bandFloor(0)).toBeCloseTo(TARGET_SCREEN_PX, 0);
  });

  it('keeps compact type within bounds however far out', () => {
    expect(compactFontPx(0)).toBeGreaterThanOrEqual(MIN_COMPACT_FONT);
    expect(compactFontPx(zoomBand(0.05))).toBe(MAX_COMPACT_FONT);
    expect(compactFontPx(-1)).toBe(MIN_COMPACT_FONT);
  });
});

describe('cost bar', () => {
  it('is the share of the largest block, with a sliver for any cost and nothing for none', () => {
    expect(costShare(500, 1000)).toBe(0.5);
    expect(costShare(1000, 1000)).toBe(1);
    expect(costShare(1, 1_000_000)).toBe(0.02);
    expect(costShare(0, 1000)).toBe(0);
    expect(costShare(undefined, 1000)).toBe(0);
    expect(costShare(10, 0)).toBe(0);
  });
});
