import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GlobalSumPool } from './global-sum-pool';
import { ProjectionHead } from './projection-head';
import { maxAbsDiff, saveAndLoad, seededTensor, weightOf, wrap } from './testkit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ProjectionHead', () => {
  it('scores [B, C] features as linear(h) + Σ h ⊙ embedding[label], both spectral-normalised → [B, 1]', () => {
    const layer = new ProjectionHead({ name: 'head', numClasses: 4, seed: 1 });
    const h = seededTensor([3, 5], 1);
    const labels = tf.tensor2d([[3], [0], [3]], [3, 1], 'int32');
    tf.dispose(layer.apply([h, labels]) as tf.Tensor);
    expect(layer.weights.map((w) => [w.originalName, w.shape, w.trainable])).toEqual([
      ['head/linear/kernel', [5, 1], true],
      ['head/linear/bias', [1], true],
      ['head/embedding/embeddings', [4, 5], true],
      ['head/linear/u', [1], false],
      ['head/embedding/u', [4], false],
    ]);
    const sLin = layer.sigma('linear');
    const sEmb = layer.sigma('embedding');
    const y = layer.apply([h, labels]) as tf.Tensor;
    expect(y.shape).toEqual([3, 1]);
    const linear = tf.add(
      tf.matMul(h as tf.Tensor2D, tf.div(weightOf(layer, 'linear/kernel').read(), sLin) as tf.Tensor2D),
      weightOf(layer, 'linear/bias').read(),
    );
    const rows = tf.div(
      tf.gather(weightOf(layer, 'embedding/embeddings').read(), tf.tensor1d([3, 0, 3], 'int32')),
      sEmb,
    );
    const expected = tf.add(linear, tf.sum(tf.mul(h, rows), 1, true));
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    // A one-column kernel's σ is its norm.
    expect(sLin.dataSync()[0]).toBeCloseTo(tf.norm(weightOf(layer, 'linear/kernel').read()).dataSync()[0], 5);
    expect(
      layer.computeOutputShape([
        [null, 5],
        [null, 1],
      ]),
    ).toEqual([null, 1]);
    tf.dispose([sLin, sEmb, y, linear, rows, expected, h, labels]);
  });

  it('updates both u vectors in training only, and refuses a feature map input', () => {
    const layer = new ProjectionHead({ name: 'hu', numClasses: 3, useBias: false, seed: 2 });
    const h = seededTensor([2, 4], 3);
    const labels = tf.tensor1d([1, 2], 'int32');
    tf.dispose(layer.apply([h, labels]) as tf.Tensor);
    const u = () => Array.from(weightOf(layer, 'embedding/u').read().dataSync());
    const before = u();
    tf.dispose(layer.apply([h, labels]) as tf.Tensor);
    expect(u()).toEqual(before);
    tf.dispose(layer.apply([h, labels], { training: true }) as tf.Tensor);
    expect(u()).not.toEqual(before);
    expect(() => new ProjectionHead({ name: 'map', numClasses: 3 }).apply([tf.zeros([2, 2, 2, 4]), labels])).toThrow(
      /global sum pool/,
    );
    tf.dispose([h, labels]);
  });

  it('save → load gives identical scores', async () => {
    const layer = new ProjectionHead({ name: 'head', numClasses: 4, seed: 3 });
    const model = wrap(layer, [{ shape: [6] }, { shape: [1], dtype: 'int32' }]);
    const inputs = [seededTensor([3, 6], 4), tf.tensor2d([[0], [2], [3]], [3, 1], 'int32')];
    tf.dispose(model.apply(inputs, { training: true }) as tf.Tensor);
    const loaded = await saveAndLoad(model);
    expect(loaded.getLayer('head').getConfig()).toEqual(layer.getConfig());
    const a = model.predict(inputs) as tf.Tensor;
    const b = loaded.predict(inputs) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([...inputs, a, b]);
    loaded.dispose();
  });
});

describe('GlobalSumPool', () => {
  it('sums over H and W: [B, H, W, C] → [B, C], and round-trips', async () => {
    const layer = new GlobalSumPool({ name: 'pool' });
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.arraySync()).toEqual([[16, 20]]);
    expect(layer.computeOutputShape([null, 4, 4, 8])).toEqual([null, 8]);
    const model = wrap(layer, [{ shape: [2, 2, 2] }]);
    const loaded = await saveAndLoad(model);
    expect(loaded.getLayer('pool')).toBeInstanceOf(GlobalSumPool);
    const z = loaded.predict(x) as tf.Tensor;
    expect(maxAbsDiff(y, z)).toBe(0);
    tf.dispose([x, y, z]);
    loaded.dispose();
  });
});
