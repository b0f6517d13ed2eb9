import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UpsampleNearest } from './upsample';
import { maxAbsDiff, saveAndLoad, seededTensor, wrap } from './testkit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('UpsampleNearest', () => {
  it('repeats each pixel into a factor×factor square', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 2, 2]);
    const y = new UpsampleNearest({ name: 'up' }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 2, 4, 2]);
    expect(y.arraySync()).toEqual([
      [
        [
          [1, 2],
          [1, 2],
          [3, 4],
          [3, 4],
        ],
        [
          [1, 2],
          [1, 2],
          [3, 4],
          [3, 4],
        ],
      ],
      [
        [
          [5, 6],
          [5, 6],
          [7, 8],
          [7, 8],
        ],
        [
          [5, 6],
          [5, 6],
          [7, 8],
          [7, 8],
        ],
      ],
    ]);
    const three = new UpsampleNearest({ name: 'up3', factor: 3 });
    expect(three.computeOutputShape([null, 4, 5, 6])).toEqual([null, 12, 15, 6]);
    const big = seededTensor([3, 3, 5, 4], 1) as tf.Tensor4D;
    expect(maxAbsDiff(three.apply(big) as tf.Tensor, tf.image.resizeNearestNeighbor(big, [9, 15]))).toBe(0);
  });

  it('gradient is the sum of dy over each square, for every sample of the batch', () => {
    // tf.image.resizeNearestNeighbor's cpu gradient gets samples after the first wrong (tfjs 4.22).
    const x = seededTensor([3, 4, 5, 6], 2);
    const dy = seededTensor([3, 8, 10, 6], 3);
    const layer = new UpsampleNearest({ name: 'upg' });
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, dy)))(x);
    const blockSums = tf.mul(tf.avgPool(dy as tf.Tensor4D, 2, 2, 'valid'), 4);
    expect(maxAbsDiff(grad, blockSums)).toBeLessThan(1e-5);
  });

  it('save → load keeps the factor', async () => {
    const model = wrap(new UpsampleNearest({ name: 'up', factor: 3 }), [{ shape: [2, 2, 1] }]);
    const loaded = await saveAndLoad(model);
    expect(loaded.getLayer('up').getConfig()).toEqual(model.getLayer('up').getConfig());
    const x = seededTensor([1, 2, 2, 1], 4);
    expect(maxAbsDiff(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)).toBe(0);
  });
});
