import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from './batch-norm';
import { ConditionalBatchNorm } from './conditional-batch-norm';
import { maxAbsDiff, saveAndLoad, seededTensor, weightOf, wrap } from './testkit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Per-channel batch mean, biased and unbiased variance of an NHWC tensor, in plain JS. */
function channelStats(x: tf.Tensor) {
  const c = x.shape[x.rank - 1];
  const data = Array.from(x.dataSync());
  const n = data.length / c;
  const mean = Array.from({ length: c }, (_, k) => data.filter((_, i) => i % c === k).reduce((a, e) => a + e, 0) / n);
  const sq = Array.from({ length: c }, (_, k) =>
    data.filter((_, i) => i % c === k).reduce((a, e) => a + (e - mean[k]) ** 2, 0),
  );
  return { mean, biased: sq.map((s) => s / n), unbiased: sq.map((s) => s / (n - 1)) };
}

describe('BatchNorm (PyTorch semantics)', () => {
  it('has gamma/beta (trainable) and running_mean/running_var (not), and keeps the shape', () => {
    const layer = new BatchNorm({ name: 'bn' });
    const y = layer.apply(tf.ones([2, 3, 3, 4]), { training: true }) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 3, 4]);
    expect(layer.weights.map((w) => [w.originalName, w.shape, w.trainable])).toEqual([
      ['bn/gamma', [4], true],
      ['bn/beta', [4], true],
      ['bn/running_mean', [4], false],
      ['bn/running_var', [4], false],
    ]);
    expect(layer.computeOutputShape([null, 3, 3, 4])).toEqual([null, 3, 3, 4]);
    y.dispose();
  });

  it('training: batch mean and biased variance, eps 1e-5; running stats ← 0.9·old + 0.1·batch with the unbiased variance', () => {
    const layer = new BatchNorm({ name: 'bnt' });
    const x = tf.add(tf.mul(seededTensor([2, 3, 2, 3], 1), 2), 0.5);
    tf.dispose(layer.apply(tf.zeros([2, 3, 2, 3])) as tf.Tensor); // build (inference: stats untouched)
    weightOf(layer, 'gamma').write(tf.tensor1d([1, 2, -1]));
    weightOf(layer, 'beta').write(tf.tensor1d([0, 0.5, 1]));
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const s = channelStats(x);
    const expected = tf.add(
      tf.mul(tf.div(tf.sub(x, s.mean), tf.sqrt(tf.add(s.biased, 1e-5))), [1, 2, -1]),
      [0, 0.5, 1],
    );
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(weightOf(layer, 'running_mean').read(), tf.tensor(s.mean.map((m) => 0.1 * m)))).toBeLessThan(
      1e-6,
    );
    expect(
      maxAbsDiff(weightOf(layer, 'running_var').read(), tf.tensor(s.unbiased.map((v) => 0.9 + 0.1 * v))),
    ).toBeLessThan(1e-6);
    tf.dispose([x, y, expected]);
  });

  it('inference uses the running statistics and leaves them alone', () => {
    const layer = new BatchNorm({ name: 'bni' });
    tf.dispose(layer.apply(tf.zeros([1, 1, 1, 2])) as tf.Tensor);
    weightOf(layer, 'running_mean').write(tf.tensor1d([1, -2]));
    weightOf(layer, 'running_var').write(tf.tensor1d([4, 0.25]));
    const x = tf.tensor4d([3, 0, 5, -2], [2, 1, 1, 2]);
    const y = layer.apply(x) as tf.Tensor;
    const expected = tf.div(tf.sub(x, [1, -2]), tf.sqrt(tf.add([4, 0.25], 1e-5)));
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-6);
    expect(Array.from(weightOf(layer, 'running_mean').read().dataSync())).toEqual([1, -2]);
    tf.dispose([x, y, expected]);
  });

  it('refuses training on a single value per channel, like torch', () => {
    const layer = new BatchNorm({ name: 'one' });
    expect(() => layer.apply(tf.ones([1, 1, 1, 2]), { training: true })).toThrow(/more than one value per channel/);
  });
});

describe('ConditionalBatchNorm', () => {
  it('normalises without its own affine, then scales and shifts by the label rows (labels [B,1] or [B])', () => {
    const layer = new ConditionalBatchNorm({ name: 'cbn', numClasses: 3 });
    const x = seededTensor([3, 2, 2, 2], 2);
    const labels = tf.tensor2d([[2], [0], [2]], [3, 1], 'int32');
    const initial = layer.apply([x, labels], { training: true }) as tf.Tensor;
    expect(layer.weights.map((w) => [w.originalName, w.shape, w.trainable])).toEqual([
      ['cbn/gamma_embedding', [3, 2], true],
      ['cbn/beta_embedding', [3, 2], true],
      ['cbn/running_mean', [2], false],
      ['cbn/running_var', [2], false],
    ]);
    const s = channelStats(x);
    const xhat = tf.div(tf.sub(x, s.mean), tf.sqrt(tf.add(s.biased, 1e-5)));
    expect(maxAbsDiff(initial, xhat)).toBeLessThan(1e-5); // gamma init 1, beta init 0
    weightOf(layer, 'gamma_embedding').write(
      tf.tensor2d([
        [1, 1],
        [2, 3],
        [-1, 0.5],
      ]),
    );
    weightOf(layer, 'beta_embedding').write(
      tf.tensor2d([
        [0, 0],
        [9, 9],
        [1, -1],
      ]),
    );
    const flatLabels = tf.tensor1d([2, 0, 2], 'int32');
    const y = layer.apply([x, flatLabels], { training: true }) as tf.Tensor;
    const scale = tf.tensor4d([-1, 0.5, 1, 1, -1, 0.5], [3, 1, 1, 2]);
    const shift = tf.tensor4d([1, -1, 0, 0, 1, -1], [3, 1, 1, 2]);
    expect(maxAbsDiff(y, tf.add(tf.mul(xhat, scale), shift))).toBeLessThan(1e-5);
    expect(
      layer.computeOutputShape([
        [null, 2, 2, 2],
        [null, 1],
      ]),
    ).toEqual([null, 2, 2, 2]);
    expect(() => layer.apply([x, tf.tensor1d([0, 1], 'int32')])).toThrow(/2 labels for a batch of 3/);
    tf.dispose([x, labels, initial, xhat, flatLabels, y, scale, shift]);
  });

  it('its gradient reaches the tables and x (no tf.batchNorm crash) and leaks nothing', () => {
    const layer = new ConditionalBatchNorm({ name: 'cbng', numClasses: 4 });
    const x = tf.variable(seededTensor([2, 2, 2, 3], 3));
    const labels = tf.tensor1d([1, 3], 'int32');
    tf.dispose(layer.apply([x, labels]) as tf.Tensor);
    const vars = [...layer.trainableWeights.map((w) => w.read() as tf.Variable), x];
    const r = seededTensor([2, 2, 2, 3], 4);
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(layer.apply([x, labels], { training: true }) as tf.Tensor, r)) as tf.Scalar,
        vars,
      );
      const beta = grads[(weightOf(layer, 'beta_embedding').read() as tf.Variable).name].arraySync() as number[][];
      // d/dβ[c] = Σ of r over the samples of class c; classes 0 and 2 get nothing.
      expect(beta[0]).toEqual([0, 0, 0]);
      expect(beta[2]).toEqual([0, 0, 0]);
      expect(tf.tidy(() => tf.sum(tf.abs(grads[x.name])).dataSync()[0])).toBeGreaterThan(0);
      tf.dispose([value, grads]);
    }
    expect(tf.memory().numTensors).toBe(n0);
    tf.dispose([x, labels, r]);
  });

  it('refuses a missing label input and numClasses < 1 with clear messages', () => {
    expect(() => new ConditionalBatchNorm({ name: 'z', numClasses: 0 })).toThrow(
      /numClasses must be a positive integer/,
    );
    expect(() => new ConditionalBatchNorm({ name: 'nolabel', numClasses: 2 }).apply(tf.zeros([2, 1, 1, 2]))).toThrow(
      /two inputs/,
    );
  });
});

describe('norm layers save → load', () => {
  it('round-trips affine/tables and running statistics; inference outputs are identical', async () => {
    const bn = new BatchNorm({ name: 'bn', momentum: 0.2 });
    const bnModel = wrap(bn, [{ shape: [3, 3, 4] }]);
    const cbn = new ConditionalBatchNorm({ name: 'cbn', numClasses: 5 });
    const cbnModel = wrap(cbn, [{ shape: [3, 3, 4] }, { shape: [1], dtype: 'int32' }]);
    const x = seededTensor([2, 3, 3, 4], 5);
    const labels = tf.tensor2d([[4], [1]], [2, 1], 'int32');
    for (const [model, inputs] of [
      [bnModel, x],
      [cbnModel, [x, labels]],
    ] as Array<[tf.LayersModel, tf.Tensor | tf.Tensor[]]>) {
      for (const w of model.layers[model.layers.length - 1].trainableWeights)
        w.write(tf.add(w.read(), seededTensor(w.shape as number[], 6)));
      tf.dispose(model.apply(inputs, { training: true }) as tf.Tensor); // running stats move
      const loaded = await saveAndLoad(model);
      const layer = model.layers[model.layers.length - 1];
      expect(loaded.getLayer(layer.name).getConfig()).toEqual(layer.getConfig());
      const a = model.predict(inputs) as tf.Tensor;
      const b = loaded.predict(inputs) as tf.Tensor;
      expect(maxAbsDiff(a, b)).toBe(0);
      expect(
        maxAbsDiff(weightOf(layer, 'running_var').read(), weightOf(loaded.getLayer(layer.name), 'running_var').read()),
      ).toBe(0);
      tf.dispose([a, b]);
      loaded.dispose();
    }
    expect((bnModel.getLayer('bn') as BatchNorm).momentum).toBe(0.2);
    tf.dispose([x, labels]);
  });
});
