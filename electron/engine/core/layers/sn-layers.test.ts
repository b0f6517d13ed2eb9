import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SNConv2D } from './sn-conv2d';
import { SNDense } from './sn-dense';
import { SNEmbedding } from './sn-embedding';
import { maxAbsDiff, saveAndLoad, seededTensor, weightOf, wrap } from './testkit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS spectral norm step on M [n, m] (row-major) and u [m], in float64. */
function jsPowerStep(m: Float32Array, n: number, cols: number, u: Float32Array, update: boolean) {
  const norm = (x: number[]) => {
    const l = Math.max(Math.hypot(...x), 1e-12);
    return x.map((e) => e / l);
  };
  const mu = (vec: number[]) =>
    Array.from({ length: n }, (_, i) => vec.reduce((s, e, j) => s + m[i * cols + j] * e, 0));
  const mtv = (vec: number[]) =>
    Array.from({ length: cols }, (_, j) => vec.reduce((s, e, i) => s + m[i * cols + j] * e, 0));
  const v = norm(mu(Array.from(u)));
  const uNext = update ? norm(mtv(v)) : Array.from(u);
  const sigma = mu(uNext).reduce((s, e, i) => s + e * v[i], 0);
  return { v, u: uNext, sigma };
}

/** Builds a layer the way models do (through apply, which scopes weight names under the layer name). */
function built<T extends tf.layers.Layer>(layer: T, inputShape: number[], dtype: 'float32' | 'int32' = 'float32'): T {
  tf.dispose(layer.apply(tf.zeros(inputShape, dtype)) as tf.Tensor);
  return layer;
}

describe('SNConv2D', () => {
  it('keeps H×W, outputs `filters` channels and names its weights kernel/bias/u', () => {
    for (const k of [1, 3]) {
      const layer = new SNConv2D({ name: `c${k}`, filters: 4, kernelSize: k, seed: 1 });
      const y = layer.apply(tf.zeros([2, 5, 6, 3])) as tf.Tensor;
      expect(y.shape).toEqual([2, 5, 6, 4]);
      expect(layer.computeOutputShape([null, 5, 6, 3])).toEqual([null, 5, 6, 4]);
      expect(layer.weights.map((w) => [w.originalName, w.shape, w.trainable])).toEqual([
        [`c${k}/kernel`, [k, k, 3, 4], true],
        [`c${k}/bias`, [4], true],
        [`c${k}/u`, [4], false],
      ]);
      y.dispose();
    }
  });

  it('rejects even kernel sizes with a message that says why', () => {
    expect(() => new SNConv2D({ name: 'even', filters: 2, kernelSize: 2 })).toThrow(/odd/);
  });

  it('training forward: one power iteration, stores the new u, and convolves with W/σ (3×3 and 1×1)', () => {
    for (const k of [3, 1]) {
      const layer = built(new SNConv2D({ name: `sn${k}`, filters: 3, kernelSize: k, seed: 7 }), [1, 4, 4, 2]);
      const kernel = weightOf(layer, 'kernel').read();
      const u0 = weightOf(layer, 'u').read().dataSync().slice() as Float32Array;
      const ref = jsPowerStep(kernel.dataSync() as Float32Array, k * k * 2, 3, u0, true);
      const x = seededTensor([2, 4, 4, 2], 3);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const expected = tf.add(
        tf.conv2d(x as tf.Tensor4D, tf.div(kernel, ref.sigma) as tf.Tensor4D, 1, 'same'),
        weightOf(layer, 'bias').read(),
      );
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
      expect(maxAbsDiff(weightOf(layer, 'u').read(), tf.tensor(ref.u))).toBeLessThan(1e-6);
      tf.dispose([x, y, expected]);
    }
  });

  it('inference forward: no update, σ from the stored u; sigma() reports the same σ', () => {
    const layer = built(new SNConv2D({ name: 'inf', filters: 3, kernelSize: 3, seed: 11 }), [1, 4, 4, 2]);
    const kernel = weightOf(layer, 'kernel').read();
    const u0 = weightOf(layer, 'u').read().dataSync().slice() as Float32Array;
    const ref = jsPowerStep(kernel.dataSync() as Float32Array, 18, 3, u0, false);
    const x = seededTensor([1, 4, 4, 2], 5);
    const y = layer.apply(x) as tf.Tensor;
    const expected = tf.add(
      tf.conv2d(x as tf.Tensor4D, tf.div(kernel, ref.sigma) as tf.Tensor4D, 1, 'same'),
      weightOf(layer, 'bias').read(),
    );
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    expect(Array.from(weightOf(layer, 'u').read().dataSync())).toEqual(Array.from(u0));
    const sigma = layer.sigma();
    expect(sigma.dataSync()[0]).toBeCloseTo(ref.sigma, 5);
    expect(Array.from(weightOf(layer, 'u').read().dataSync())).toEqual(Array.from(u0));
    tf.dispose([x, y, expected, sigma]);
  });

  it('spectralNorm: false is a plain conv with no u, and sigma() explains that it has none', () => {
    const layer = built(
      new SNConv2D({ name: 'plain', filters: 2, kernelSize: 3, spectralNorm: false, useBias: false, seed: 2 }),
      [1, 3, 3, 2],
    );
    expect(layer.weights.map((w) => w.originalName)).toEqual(['plain/kernel']);
    const x = seededTensor([1, 3, 3, 2], 9);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const expected = tf.conv2d(x as tf.Tensor4D, weightOf(layer, 'kernel').read() as tf.Tensor4D, 1, 'same');
    expect(maxAbsDiff(y, expected)).toBe(0);
    expect(() => layer.sigma()).toThrow(/spectral normalisation off/);
    tf.dispose([x, y, expected]);
  });

  it('seeded layers initialise identically; u starts as a unit vector', () => {
    const a = built(new SNConv2D({ name: 'a', filters: 5, kernelSize: 3, seed: 42 }), [1, 4, 4, 3]);
    const b = built(new SNConv2D({ name: 'b', filters: 5, kernelSize: 3, seed: 42 }), [1, 4, 4, 3]);
    for (const w of ['kernel', 'bias', 'u']) expect(maxAbsDiff(weightOf(a, w).read(), weightOf(b, w).read())).toBe(0);
    expect(tf.norm(weightOf(a, 'u').read()).dataSync()[0]).toBeCloseTo(1, 6);
    // torch's default bound 1/sqrt(fan_in), fan_in = 3·3·3
    expect(tf.max(tf.abs(weightOf(a, 'kernel').read())).dataSync()[0]).toBeLessThanOrEqual(1 / Math.sqrt(27));
  });
});

describe('SNDense', () => {
  it('maps [B, in] to [B, units] with kernel [in, units]', () => {
    const layer = new SNDense({ name: 'd', units: 6, seed: 1 });
    const y = layer.apply(tf.ones([3, 4])) as tf.Tensor;
    expect(y.shape).toEqual([3, 6]);
    expect(layer.computeOutputShape([null, 4])).toEqual([null, 6]);
    expect(weightOf(layer, 'kernel').shape).toEqual([4, 6]);
    expect(weightOf(layer, 'u').shape).toEqual([6]);
    y.dispose();
  });

  it('repeated training forwards drive σ to the largest singular value', () => {
    const layer = built(new SNDense({ name: 'pi', units: 3, useBias: false, seed: 4 }), [1, 3]);
    // Singular values 3, 2, 0.5 (an orthogonal-ish mix so u does not start aligned).
    const q = tf.tensor2d([
      [0.6, 0.8, 0],
      [-0.8, 0.6, 0],
      [0, 0, 1],
    ]);
    const w = tf.matMul(tf.matMul(q, tf.diag(tf.tensor1d([3, 2, 0.5]))), q, false, true);
    weightOf(layer, 'kernel').write(w);
    const x = tf.ones([1, 3]);
    for (let i = 0; i < 60; i++) tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const sigma = layer.sigma();
    expect(sigma.dataSync()[0]).toBeCloseTo(3, 4);
    tf.dispose([q, w, x, sigma]);
  });

  it('gradient flows through W in σ with u and v held constant', () => {
    const layer = built(new SNDense({ name: 'g', units: 3, seed: 8 }), [1, 4]);
    const kernel = weightOf(layer, 'kernel').read() as tf.Variable;
    const u0 = weightOf(layer, 'u').read().dataSync().slice() as Float32Array;
    const ref = jsPowerStep(kernel.dataSync() as Float32Array, 4, 3, u0, true);
    const x = seededTensor([2, 4], 1);
    const r = seededTensor([2, 3], 2);
    const ours = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, r)) as tf.Scalar,
      [kernel],
    );
    // Independent formulation: σ = vᵀ W u with v, u as constants from the JS power step.
    const v = tf.tensor2d(ref.v, [4, 1]);
    const u = tf.tensor2d(ref.u, [3, 1]);
    const bias = weightOf(layer, 'bias').read();
    const expected = tf.grad((k: tf.Tensor) => {
      const sigma = tf.sum(tf.mul(v, tf.matMul(k as tf.Tensor2D, u)));
      return tf.sum(tf.mul(tf.add(tf.matMul(x as tf.Tensor2D, tf.div(k, sigma) as tf.Tensor2D), bias), r));
    })(kernel);
    expect(maxAbsDiff(ours.grads[kernel.name], expected)).toBeLessThan(1e-5);
    tf.dispose([ours.value, ours.grads, v, u, expected, x, r]);
  });
});

describe('SNEmbedding', () => {
  it('uses torch orientation for embeddings: u ∈ R^numClasses, σ of the [numClasses, dim] table', () => {
    const layer = built(new SNEmbedding({ name: 'e', numClasses: 5, dim: 3, seed: 3 }), [1, 1], 'int32');
    expect(weightOf(layer, 'embeddings').shape).toEqual([5, 3]);
    expect(weightOf(layer, 'u').shape).toEqual([5]);
    const table = weightOf(layer, 'embeddings').read();
    const u0 = weightOf(layer, 'u').read().dataSync().slice() as Float32Array;
    // torch: W_mat = table [5, 3], u ∈ R^5: v = normalize(W_matᵀ u), u' = normalize(W_mat v), σ = u'ᵀ W_mat v.
    // jsPowerStep(M, ...) computes v = M u, so pass M = tableᵀ [3, 5].
    const ref = jsPowerStep(tf.transpose(table).dataSync() as Float32Array, 3, 5, u0, true);
    const labels = tf.tensor2d([[4], [0], [4]], [3, 1], 'int32');
    const y = layer.apply(labels, { training: true }) as tf.Tensor;
    expect(y.shape).toEqual([3, 3]);
    const expected = tf.div(tf.gather(table, tf.tensor1d([4, 0, 4], 'int32')), ref.sigma);
    expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(weightOf(layer, 'u').read(), tf.tensor(ref.u))).toBeLessThan(1e-6);
    const flat = layer.apply(tf.tensor1d([4, 0, 4], 'int32')) as tf.Tensor;
    expect(flat.shape).toEqual([3, 3]);
    expect(() => layer.apply(tf.zeros([3, 2], 'int32'))).toThrow(/\[B\] or \[B, 1\]/);
    tf.dispose([labels, y, expected, flat]);
  });
});

describe('SN layers save → load', () => {
  it('round-trips kernel, bias and the trained u, giving identical inference outputs', async () => {
    const cases: Array<{
      layer: tf.layers.Layer;
      input: { shape: number[]; dtype?: 'float32' | 'int32' };
      x: () => tf.Tensor;
    }> = [
      {
        layer: new SNConv2D({ name: 'conv', filters: 3, kernelSize: 3, seed: 1 }),
        input: { shape: [4, 4, 2] },
        x: () => seededTensor([2, 4, 4, 2], 1),
      },
      {
        layer: new SNConv2D({ name: 'pw', filters: 3, kernelSize: 1, useBias: false, seed: 1 }),
        input: { shape: [4, 4, 2] },
        x: () => seededTensor([2, 4, 4, 2], 2),
      },
      {
        layer: new SNDense({ name: 'dense', units: 2, seed: 1 }),
        input: { shape: [5] },
        x: () => seededTensor([2, 5], 3),
      },
      {
        layer: new SNEmbedding({ name: 'emb', numClasses: 4, dim: 3, seed: 1 }),
        input: { shape: [1], dtype: 'int32' },
        x: () => tf.tensor2d([[1], [3]], [2, 1], 'int32'),
      },
    ];
    for (const c of cases) {
      const model = wrap(c.layer, [c.input]);
      const x = c.x();
      tf.dispose(model.apply(x, { training: true }) as tf.Tensor); // move u away from its initial value
      const loaded = await saveAndLoad(model);
      expect(loaded.getLayer(c.layer.name).getClassName()).toBe(c.layer.getClassName());
      expect(loaded.getLayer(c.layer.name).getConfig()).toEqual(c.layer.getConfig());
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(maxAbsDiff(a, b)).toBe(0);
      const uBefore = c.layer.weights.find((w) => w.originalName.endsWith('/u'));
      const uAfter = loaded.getLayer(c.layer.name).weights.find((w) => w.originalName.endsWith('/u'));
      if (uBefore && uAfter) expect(maxAbsDiff(uBefore.read(), uAfter.read())).toBe(0);
      tf.dispose([x, a, b]);
      loaded.dispose();
    }
  });

  it('fromConfig rebuilds an equivalent layer', () => {
    const layer = new SNConv2D({
      name: 'cfg',
      filters: 7,
      kernelSize: 5,
      useBias: false,
      spectralNorm: false,
      seed: 9,
    });
    const copy = tf.serialization.SerializationMap.getMap().classNameMap[SNConv2D.className][1](
      SNConv2D,
      layer.getConfig(),
    ) as SNConv2D;
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.filters).toBe(7);
    expect(copy.kernelSize).toBe(5);
  });
});
