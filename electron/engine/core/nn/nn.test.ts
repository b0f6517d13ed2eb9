import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SelfAttention } from './attention';
import { GlobalSumPool, ProjectionHead } from './heads';
import { BatchNorm, ConditionalBatchNorm } from './norm';
import { SNConv2D, SNDense } from './sn-layers';
import { spectralNormalize } from './spectral';
import { labels, maxAbsDiff, randomInput, roundTrip } from './test-utils';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function modelOf(layer: tf.layers.Layer, shapes: number[][], labelInput = false) {
  const inputs = shapes.map((s) => tf.input({ shape: s }));
  const all = labelInput ? [...inputs, tf.input({ shape: [1], dtype: 'int32' })] : inputs;
  return tf.model({ inputs: all, outputs: layer.apply(all.length === 1 ? all[0]! : all) as tf.SymbolicTensor });
}

async function expectRoundTrip(model: tf.LayersModel, inputs: tf.Tensor[]) {
  const loaded = await roundTrip(model);
  const a = model.predict(inputs) as tf.Tensor;
  const b = loaded.predict(inputs) as tf.Tensor;
  expect(b.shape).toEqual(a.shape);
  expect(maxAbsDiff(a, b)).toBe(0);
  expect(loaded.getWeights().length).toBe(model.getWeights().length);
}

describe('spectral normalisation', () => {
  it('divides by the top singular value once u has converged, and u is updated only in training', () => {
    const k = tf.tensor2d([[3, 0], [0, 1], [0, 0]]); // σ = 3
    let u = tf.tensor1d([0.6, 0.8]);
    for (let i = 0; i < 30; i++) {
      const { weight, newU } = spectralNormalize(k, u, true);
      weight.dispose();
      u = newU!;
    }
    const { weight, newU } = spectralNormalize(k, u, false);
    expect(newU).toBeNull();
    expect(Array.from(weight.dataSync())).toEqual(Array.from(tf.div(k, 3).dataSync()).map((v) => expect.closeTo(v, 5)));
  });

  it('has the exact gradient of W/σ(W) with u and v held constant', () => {
    const k = tf.tensor2d([[1, 2], [3, -1], [0.5, 0.2]]);
    const u = tf.tensor1d([0.2, 0.98]);
    const probe = tf.tensor2d([[0.3, -1], [2, 0.1], [-0.5, 1]]);
    const f = (w: tf.Tensor) => tf.sum(tf.mul(spectralNormalize(w as tf.Tensor2D, u, true).weight, probe));
    const analytic = tf.grad(f)(k);
    // PyTorch holds u and v (from the power iteration) constant in σ = uᵀ W v; freeze both and vary W only.
    const v = tf.div(tf.matMul(k, u.reshape([-1, 1])), tf.norm(tf.matMul(k, u.reshape([-1, 1])))).reshape([-1]);
    const { newU } = spectralNormalize(k, u, true);
    const frozen = (w: tf.Tensor2D) => {
      const sigma = tf.dot(tf.matMul(v.reshape([1, -1]), w).reshape([-1]), newU!);
      return tf.sum(tf.mul(tf.div(w, sigma), probe)).dataSync()[0]!;
    };
    const values = k.arraySync();
    const eps = 1e-3;
    const numeric = values.map((row, i) =>
      row.map((_, j) => {
        const plus = values.map((r) => [...r]);
        const minus = values.map((r) => [...r]);
        plus[i]![j]! += eps;
        minus[i]![j]! -= eps;
        return (frozen(tf.tensor2d(plus)) - frozen(tf.tensor2d(minus))) / (2 * eps);
      }),
    );
    expect(analytic.shape).toEqual([3, 2]);
    const a = analytic.arraySync() as number[][];
    const sigmaTerm = numeric.flat().map((n, idx) => Math.abs(n - a.flat()[idx]!));
    expect(Math.max(...sigmaTerm)).toBeLessThan(2e-3);
  });
});

describe('SNConv2D and SNDense', () => {
  it('keep "same" spatial size, save and load identically, and update u only in training', async () => {
    const layer = new SNConv2D({ filters: 5, kernelSize: 3, name: 'c', seed: 3 });
    const model = modelOf(layer, [[6, 4, 2]]);
    const x = randomInput([2, 6, 4, 2]);
    expect((model.predict(x) as tf.Tensor).shape).toEqual([2, 6, 4, 5]);
    await expectRoundTrip(model, [x]);
    const u0 = layer.u!.read().arraySync();
    model.predict(x);
    expect(layer.u!.read().arraySync()).toEqual(u0);
    model.apply(x, { training: true });
    expect(layer.u!.read().arraySync()).not.toEqual(u0);
  });

  it('1×1 conv equals the matmul path and dense round-trips', async () => {
    const one = modelOf(new SNConv2D({ filters: 3, kernelSize: 1, spectralNorm: false, name: 'one' }), [[2, 2, 4]]);
    const x = randomInput([1, 2, 2, 4]);
    const w = one.getWeights();
    const expected = tf.add(tf.conv2d(x as tf.Tensor4D, w[0] as tf.Tensor4D, 1, 'same'), w[1]!);
    expect(maxAbsDiff(one.predict(x) as tf.Tensor, expected)).toBeLessThan(1e-6);
    const dense = modelOf(new SNDense({ units: 7, name: 'd' }), [[4]]);
    expect((dense.predict(randomInput([3, 4])) as tf.Tensor).shape).toEqual([3, 7]);
    await expectRoundTrip(dense, [randomInput([3, 4])]);
  });

  it('count parameters as PyTorch (u is not trainable)', () => {
    const layer = new SNConv2D({ filters: 8, kernelSize: 3, name: 'p' });
    modelOf(layer, [[4, 4, 4]]);
    expect(layer.countParams()).toBe(4 * 8 * 9 + 8 + 8);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[3, 3, 4, 8], [8]]);
  });
});

describe('SelfAttention', () => {
  for (const [variant, pooledKeys] of [['official', true], ['official', false], ['paper', false]] as const) {
    it(`${variant}${pooledKeys ? ' with pooled keys' : ''}: keeps the shape, starts as identity, round-trips`, async () => {
      const layer = new SelfAttention({ name: 'att', variant, pooledKeys, useBias: variant === 'official', spectralNorm: true });
      const model = modelOf(layer, [[4, 6, 16]]);
      const x = randomInput([2, 4, 6, 16]);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, 4, 6, 16]);
      expect(maxAbsDiff(y, x)).toBe(0); // γ = 0
      const w = model.getWeights();
      model.setWeights(w.map((t, i) => (t.rank === 0 ? tf.scalar(0.7) : w[i]!)));
      expect(maxAbsDiff(model.predict(x) as tf.Tensor, x)).toBeGreaterThan(1e-3);
      await expectRoundTrip(model, [x]);
    });
  }

  it('hands back softmax rows of the probed queries from the same forward', () => {
    const layer = new SelfAttention({ name: 'probe', variant: 'official', pooledKeys: true, useBias: false, spectralNorm: true });
    const model = modelOf(layer, [[4, 4, 16]]);
    layer.setAttentionProbe([0, 5, 15]);
    model.predict(randomInput([2, 4, 4, 16]));
    const probed = layer.takeProbedAttention()!;
    expect(probed.maps.shape).toEqual([2, 3, 4]);
    expect([probed.keyHeight, probed.keyWidth]).toEqual([2, 2]);
    const sums = tf.sum(probed.maps, 2).arraySync() as number[][];
    for (const row of sums.flat()) expect(row).toBeCloseTo(1, 5);
    expect(layer.takeProbedAttention()).toBeNull();
    probed.maps.dispose();
  });

  it('counts parameters like the reference (82,369 at C = 256 with biases)', () => {
    const layer = new SelfAttention({ name: 'count', variant: 'official', pooledKeys: false, useBias: true, spectralNorm: true });
    modelOf(layer, [[16, 16, 256]]);
    expect(layer.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a * (b as number), 1), 0)).toBe(82_369);
  });
});

describe('normalisation layers', () => {
  it('BatchNorm uses batch statistics in training (unbiased running var) and running ones at inference', async () => {
    const layer = new BatchNorm({ name: 'bn' });
    const model = modelOf(layer, [[2, 2, 3]]);
    const x = randomInput([4, 2, 2, 3]);
    const y = model.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    for (const m of mean.dataSync()) expect(m).toBeCloseTo(0, 5);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 2);
    const batchVar = tf.moments(x, [0, 1, 2]).variance.dataSync();
    const running = layer.runningVar.read().dataSync();
    running.forEach((r, i) => expect(r).toBeCloseTo(0.9 + 0.1 * batchVar[i]! * (16 / 15), 5));
    await expectRoundTrip(model, [x]);
  });

  it('ConditionalBatchNorm applies the per-class scale and shift', async () => {
    const layer = new ConditionalBatchNorm({ name: 'cbn', numClasses: 3 });
    const model = modelOf(layer, [[2, 2, 2]], true);
    const gamma = tf.tensor2d([[1, 1], [2, 2], [1, 1]]);
    const beta = tf.tensor2d([[0, 0], [0, 0], [5, 5]]);
    layer.gammaTable.write(gamma);
    layer.betaTable.write(beta);
    const x = randomInput([3, 2, 2, 2]);
    const y = model.apply([x, labels([0, 1, 2])], { training: true }) as tf.Tensor;
    const plain = tf.div(tf.sub(x, tf.moments(x, [0, 1, 2]).mean), tf.sqrt(tf.add(tf.moments(x, [0, 1, 2]).variance, 1e-5)));
    const parts = tf.split(y, 3);
    const ref = tf.split(plain, 3);
    expect(maxAbsDiff(parts[0]!, ref[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(parts[1]!, tf.mul(ref[1]!, 2))).toBeLessThan(1e-5);
    expect(maxAbsDiff(parts[2]!, tf.add(ref[2]!, 5))).toBeLessThan(1e-5);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[3, 2], [3, 2]]);
    await expectRoundTrip(model, [x, labels([2, 0, 1])]);
  });
});

describe('heads', () => {
  it('GlobalSumPool sums over positions', async () => {
    const model = modelOf(new GlobalSumPool({ name: 'sum' }), [[2, 3, 4]]);
    const x = tf.ones([1, 2, 3, 4]);
    expect(Array.from((model.predict(x) as tf.Tensor).dataSync())).toEqual([6, 6, 6, 6]);
    await expectRoundTrip(model, [x]);
  });

  it('ProjectionHead adds ⟨h, E[y]⟩ to the linear score', async () => {
    const layer = new ProjectionHead({ name: 'proj', numClasses: 4, spectralNorm: false });
    const model = modelOf(layer, [[3]], true);
    layer.kernel.write(tf.tensor2d([[1], [0], [0]]));
    layer.bias!.write(tf.tensor1d([0.5]));
    layer.embeddings.write(tf.tensor2d([[0, 0, 0], [1, 1, 1], [0, 2, 0], [0, 0, 0]]));
    const h = tf.tensor2d([[1, 2, 3], [1, 2, 3]]);
    const out = model.predict([h, labels([1, 2])]) as tf.Tensor;
    expect(out.shape).toEqual([2, 1]);
    expect(Array.from(out.dataSync())).toEqual([1.5 + 6, 1.5 + 4]);
    const sn = new ProjectionHead({ name: 'proj2', numClasses: 10 });
    await expectRoundTrip(modelOf(sn, [[8]], true), [randomInput([2, 8]), labels([3, 9])]);
    expect(sn.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a * (b as number), 1), 0)).toBe(8 + 1 + 80);
  });
});
