import { describe, expect, it } from 'vitest';
import type { AttentionMapWire } from '../../graph-schemas';
import { alignRuns, lossColumns } from './compare-data';
import { cellAt, cellOrigin, gridPadding } from './grid-geometry';
import {
  attentionRow,
  heatColor,
  heatForQuery,
  heatGradientCss,
  heatScaleMax,
  normalizeHeat,
  overlayHeat,
  peakOverUniform,
  relativeHeat,
  upsampleBilinear,
} from './heatmap';
import { scoreHistogram } from './histogram';

const map = (patch: Partial<AttentionMapWire> = {}): AttentionMapWire => ({
  nodeId: 'g_attention',
  network: 'generator',
  keyHeight: 2,
  keyWidth: 2,
  samples: 2,
  queries: 2,
  // [sample][query][key]
  data: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  ...patch,
});

describe('attention heatmaps', () => {
  it('colours each key by its weight over uniform, on the legend’s scale', () => {
    // 2×2 keys: uniform is 0.25, so a weight of 1 is 4× and a weight of 0 is 0×; the scale tops out at 4×.
    expect([...relativeHeat(map(), 0, 0, 2, 4)]).toEqual([1, 0, 0, 0]);
    // At a scale of 8×, 4× is half way up the ramp.
    expect([...relativeHeat(map(), 0, 0, 2, 8)]).toEqual([0.5, 0, 0, 0]);
    const uniform = map({ samples: 1, queries: 1, data: [0.25, 0.25, 0.25, 0.25] });
    expect([...relativeHeat(uniform, 0, 0, 2, 2)]).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('shares one scale across the maps shown: the largest peak, at least 2×', () => {
    expect(heatScaleMax([map()], 0)).toBe(4);
    expect(heatScaleMax([map({ samples: 1, queries: 1, data: [0.3, 0.25, 0.25, 0.2] })], 0)).toBe(2);
    expect(heatGradientCss()).toMatch(/^linear-gradient\(to right, rgb\(0,0,4\) 0%, .* rgb\(252,255,164\) 100%\)$/);
  });

  it('reads one query’s row of one sample from [sample][query][key]', () => {
    expect([...attentionRow(map(), 0, 1)]).toEqual([0, 1, 0, 0]);
    expect([...attentionRow(map(), 1, 1)]).toEqual([0, 0, 0, 1]);
    expect(() => attentionRow(map(), 2, 0)).toThrow(/sample 2/);
    expect(() => attentionRow(map({ data: [1, 2] }), 0, 0)).toThrow(/holds 2 values/);
  });

  it('upsamples from the key grid with pixel centres aligned, keeping a constant constant', () => {
    expect([...upsampleBilinear([3, 3, 3, 3], 2, 2, 5, 5)].every((v) => Math.abs(v - 3) < 1e-6)).toBe(true);
    // 1×2 → 1×4: edges copy, the middle interpolates.
    expect([...upsampleBilinear([0, 1], 1, 2, 1, 4)]).toEqual([0, 0.25, 0.75, 1]);
    const up = upsampleBilinear([0, 0, 0, 1], 2, 2, 32, 32);
    expect(up[0]).toBe(0);
    expect(up[32 * 32 - 1]).toBe(1);
  });

  it('puts the heat where the query attends, scaled to 0..1, over the image', () => {
    const heat = heatForQuery(map(), 1, 1, 8); // attends to the bottom-right key
    expect(Math.max(...heat)).toBe(1);
    expect(heat[7 * 8 + 7]).toBe(1);
    expect(heat[0]).toBe(0);
    const image = new Uint8ClampedArray(8 * 8 * 4).fill(128);
    const out = overlayHeat(image, heat);
    const hot = heatColor(1);
    expect(out[(7 * 8 + 7) * 4]).toBeCloseTo(128 * 0.25 + hot[0] * 0.75, 0);
    expect(out[3]).toBe(255);
    expect(() => overlayHeat(image, new Float32Array(3))).toThrow(/64 pixels/);
  });

  it('keeps a nearly uniform row cool instead of stretching it, and says how peaked a row is', () => {
    const uniform = Float32Array.from({ length: 64 }, (_, i) => 1 / 64 + (i === 0 ? 1e-4 : 0));
    expect(Math.max(...normalizeHeat(uniform))).toBeLessThan(0.01);
    expect(peakOverUniform(uniform)).toBeCloseTo(1 + 64e-4, 4);
    expect(peakOverUniform([0, 0, 0, 1])).toBe(4);
  });
});

describe('sample grid geometry', () => {
  const grid = { width: 274, height: 342, rows: 10, cols: 8, cellSize: 32 };
  it('finds the cell and the point inside it from a grid pixel, none on the padding', () => {
    expect(gridPadding(grid)).toBe(2);
    expect(cellOrigin(grid, 9)).toEqual({ x: 36, y: 36 });
    expect(cellAt(grid, 36 + 16, 36 + 8)).toEqual({ sample: 9, x: 0.5, y: 0.25 });
    expect(cellAt(grid, 1, 10)).toBeNull();
    expect(cellAt(grid, 34.5, 10)).toBeNull();
    expect(cellAt(grid, 273, 341)).toBeNull();
    expect(cellAt(grid, 271, 339)?.sample).toBe(79);
  });
});

describe('score histograms and run comparison', () => {
  it('bins real and fake scores over one shared range', () => {
    const h = scoreHistogram([0, 0.1, 1], [-1, -0.9], 4);
    expect(h.edges).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(h.real).toEqual([0, 0, 2, 1]);
    expect(h.fake).toEqual([2, 0, 0, 0]);
    expect(scoreHistogram([], [])).toEqual({ edges: [], real: [], fake: [] });
    expect(scoreHistogram([2, 2], [2]).real.reduce((a, b) => a + b)).toBe(2);
  });

  it('aligns two runs on the union of their steps', () => {
    const a = lossColumns({
      step: [1, 3],
      lossDReal: [1, 2],
      lossDFake: [2, 3],
      lossG: [-1, -2],
      itPerSec: [1, 1],
      gammas: [],
    });
    const b = lossColumns({
      step: [2, 3, 4],
      lossDReal: [2, 3, 4],
      lossDFake: [2, 3, 5],
      lossG: [1, 2, 3],
      itPerSec: [1, 1, 1],
      gammas: [],
    });
    expect(alignRuns(a, b)).toEqual({
      x: [1, 2, 3, 4],
      a: [
        [3, null, 5, null],
        [-1, null, -2, null],
      ],
      b: [
        [null, 4, 6, 9],
        [null, 1, 2, 3],
      ],
    });
  });
});
