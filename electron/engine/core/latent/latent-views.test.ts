import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageGenerator } from '../metrics/generate';
import { columnNoise } from './latent-math';
import { drawLatentView, LatentRequestError } from './latent-views';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 2×2 gray "generator": each pixel shows tanh of one noise value (plus the label, when it takes one). */
function fakeGenerator(classes: number): ImageGenerator & { calls: number[] } {
  const calls: number[] = [];
  return {
    zDim: 4,
    classes,
    calls,
    generate: (z, labels) => {
      calls.push(z.shape[0]);
      const shifted = labels ? z.add(labels.toFloat().mul(0.1)) : z;
      return shifted.tanh().reshape([z.shape[0], 2, 2, 1]) as tf.Tensor4D;
    },
  };
}

describe('drawLatentView', () => {
  it('draws one row for an unconditional model and refuses classes for it', async () => {
    const g = fakeGenerator(0);
    const p = await drawLatentView(g, { kind: 'grid', seed: 1, cols: 3, truncation: null }, 'Faces');
    expect(p).toMatchObject({ rows: 1, cols: 3, cellSize: 2, rowClasses: [] });
    await expect(
      drawLatentView(g, { kind: 'grid', seed: 1, cols: 3, classes: [0], truncation: null }, 'Faces'),
    ).rejects.toThrow('Faces is unconditional: it has no classes to show as rows.');
    await expect(
      drawLatentView(g, { kind: 'image', noise: { seed: 0, column: 0 }, classIndex: 2, truncation: null }, 'Faces'),
    ).rejects.toBeInstanceOf(LatentRequestError);
  });

  it('puts column c’s noise in every row, generates in chunks, and leaves no tensors behind', async () => {
    const g = fakeGenerator(40);
    const before = tf.memory().numTensors;
    const p = await drawLatentView(g, { kind: 'grid', seed: 2, cols: 16, classes: [0, 5, 9], truncation: 1 }, 'M');
    expect(tf.memory().numTensors).toBe(before);
    expect(g.calls).toEqual([32, 16]);
    expect(p.rowClasses).toEqual([0, 5, 9]);
    // The pixel (0, 0) of cell (row, col) is tanh(z₀ + 0.1·class) of column col's noise.
    const z = columnNoise({ seed: 2, column: 4 }, 4, 1);
    const at = (row: number, col: number) => p.image.rgba[((2 + row * 4) * p.image.width + 2 + col * 4) * 4];
    for (const [row, k] of [
      [0, 0],
      [2, 9],
    ] as const)
      expect(at(row, 4)).toBe(Math.round(((Math.tanh(z[0]! + 0.1 * k) + 1) / 2) * 255));
    // A single image has no frame around it.
    const one = await drawLatentView(
      g,
      { kind: 'image', noise: { seed: 2, column: 4 }, classIndex: 9, truncation: 1 },
      'M',
    );
    expect([one.image.width, one.padding]).toEqual([2, 0]);
    expect(one.image.rgba[0]).toBe(at(2, 4));
  });
});
