import { describe, expect, it } from 'vitest';
import { composeGrid, unitToByte } from './grid';

const pixel = (g: { width: number; rgba: Uint8ClampedArray }, x: number, y: number) =>
  Array.from(g.rgba.subarray((y * g.width + x) * 4, (y * g.width + x) * 4 + 4));

describe('composeGrid', () => {
  it('places images row by row between padding, mapping [-1, 1] to 0..255 and gray to RGB', () => {
    // Three 2×1 gray images, two columns: image k has values [k/2 - 1, 1].
    const images = Float32Array.from([-1, 1, -0.5, 1, 0, 1]);
    const g = composeGrid(images, [3, 1, 2, 1], { cols: 2, padding: 1, background: 7 });
    expect([g.width, g.height]).toEqual([2 * 2 + 3, 2 * 1 + 3]);
    expect(pixel(g, 0, 0)).toEqual([7, 7, 7, 255]);
    expect(pixel(g, 1, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(g, 2, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(g, 4, 1)).toEqual([64, 64, 64, 255]); // second image, first column
    expect(pixel(g, 1, 3)).toEqual([128, 128, 128, 255]); // third image starts the second row
    expect(pixel(g, 4, 3)).toEqual([7, 7, 7, 255]); // empty slot shows background
  });

  it('keeps RGB channels apart and takes an RGB background', () => {
    const g = composeGrid(Float32Array.from([1, -1, 0]), [1, 1, 1, 3], {
      cols: 1,
      padding: 1,
      background: [10, 20, 30],
    });
    expect(pixel(g, 1, 1)).toEqual([255, 0, 128, 255]);
    expect(pixel(g, 0, 0)).toEqual([10, 20, 30, 255]);
  });

  it('clamps out-of-range values and shows NaN as black', () => {
    expect([unitToByte(-5), unitToByte(5), unitToByte(Number.NaN), unitToByte(0)]).toEqual([0, 255, 0, 128]);
  });

  it('refuses shapes that do not match the data and bad options', () => {
    expect(() => composeGrid(new Float32Array(5), [1, 2, 2, 1], { cols: 1 })).toThrow(
      /5 values do not make 1 images of 2×2×1/,
    );
    expect(() => composeGrid(new Float32Array(8), [1, 2, 2, 2], { cols: 1 })).toThrow(/1- or 3-channel/);
    expect(() => composeGrid(new Float32Array(4), [1, 2, 2, 1], { cols: 0 })).toThrow(/at least one column/);
  });
});
