import { describe, expect, it } from 'vitest';
import type { LatentModel } from '../../graph-schemas';
import { LatentViewSchema } from '../../graph-schemas';
import {
  cellAtPixel,
  gridCellImage,
  gridView,
  initialControls,
  pngName,
  stripView,
  truncationFrom,
} from './latent-views';

const model = (classes: number): LatentModel => ({
  kind: 'run',
  name: 'MNIST run',
  step: 400,
  steps: [200, 400],
  zDim: 8,
  classes,
  classNames: Array.from({ length: classes }, (_, k) => String(k)),
  usesEma: true,
  imageSize: 32,
  channels: 1,
});

describe('the explorer’s requests', () => {
  it('asks for one row per class (up to the API’s limit), none named when unconditional; the API accepts them', () => {
    const c = initialControls(3);
    const conditional = gridView(c, model(10));
    expect(conditional).toMatchObject({ kind: 'grid', seed: 3, cols: 8, classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    expect((gridView(c, model(100)) as { classes: number[] }).classes).toHaveLength(32);
    expect(gridView(c, model(0))).not.toHaveProperty('classes');
    for (const v of [conditional, gridView(c, model(0)), stripView(c)])
      expect(LatentViewSchema.safeParse(v).success).toBe(true);
  });

  it('a grid cell is the column’s noise and the row’s class', () => {
    const c = { ...initialControls(5), truncation: 0.7 };
    const grid = { rows: 2, cols: 4, cellSize: 32, padding: 2, rowClasses: [3, 8] };
    expect(gridCellImage(c, grid as never, { row: 1, col: 2 })).toEqual({
      kind: 'image',
      noise: { seed: 5, column: 2 },
      classIndex: 8,
      truncation: 0.7,
    });
  });

  it('finds the cell under a pixel, and none on the padding', () => {
    const p = { rows: 2, cols: 3, cellSize: 10, padding: 2 };
    expect(cellAtPixel(p, 2, 2)).toEqual({ row: 0, col: 0 });
    expect(cellAtPixel(p, 11, 11)).toEqual({ row: 0, col: 0 });
    expect(cellAtPixel(p, 12, 5)).toBeNull();
    expect(cellAtPixel(p, 14, 15)).toEqual({ row: 1, col: 1 });
    expect(cellAtPixel(p, 40, 5)).toBeNull();
    expect(cellAtPixel(p, 1, 5)).toBeNull();
  });

  it('clamps the truncation slider to the API’s range, and off is null', () => {
    expect(truncationFrom(false, 1)).toBeNull();
    expect(truncationFrom(true, 0.123)).toBe(0.12);
    expect(truncationFrom(true, 0)).toBe(0.05);
    expect(truncationFrom(true, 9)).toBe(4);
  });

  it('names saved pictures after what they show', () => {
    const c = { ...initialControls(3), truncation: 0.5 };
    expect(pngName('My run!', 400, gridView(c, model(10)))).toBe('My-run-step-400-grid-seed-3-trunc-0.5.png');
    expect(pngName('m', 4, stripView(initialControls(1)))).toBe('m-step-4-spherical-1.0-to-1.7-class-0.png');
  });
});
