import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SelfAttention } from './self-attention';
import { maxAbsDiff, saveAndLoad, seededTensor, weightOf, wrap } from './testkit';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function built(layer: SelfAttention, shape: number[]): SelfAttention {
  tf.dispose(layer.apply(tf.zeros(shape)) as tf.Tensor);
  return layer;
}

/** Naive reference in plain JS loops (inference numerics: each projection's kernel divided by its σ). */
function naiveAttention(layer: SelfAttention, x: tf.Tensor4D): { y: number[]; beta: number[][][] } {
  const [b, h, w, c] = x.shape;
  const n = h * w;
  const xs = x.arraySync();
  const proj = (p: 'query' | 'key' | 'value' | 'out') => {
    const s = layer.sigma(p);
    const kernel = (tf.div(weightOf(layer, `${p}/kernel`).read(), s).arraySync() as number[][][][])[0][0];
    const bias = layer.useBias ? (weightOf(layer, `${p}/bias`).read().arraySync() as number[]) : null;
    s.dispose();
    return (vec: number[]) =>
      kernel[0].map((_, o) => vec.reduce((acc, e, i) => acc + e * kernel[i][o], bias ? bias[o] : 0));
  };
  const [q, k, v, o] = (['query', 'key', 'value', 'out'] as const).map(proj);
  const gamma = layer.gamma().dataSync()[0]!;
  const y: number[] = [];
  const beta: number[][][] = [];
  for (let bi = 0; bi < b; bi++) {
    const pos = Array.from({ length: n }, (_, i) => xs[bi][Math.floor(i / w)][i % w]);
    const qs = pos.map(q);
    let ks = pos.map(k);
    let vs = pos.map(v);
    if (layer.pooledKeys) {
      // 2×2 max-pool of the key/value maps: element-wise max over each square, row-major over (H/2)×(W/2).
      const pool = (maps: number[][]) =>
        Array.from({ length: n / 4 }, (_, p) => {
          const [r, col] = [2 * Math.floor(p / (w / 2)), 2 * (p % (w / 2))];
          const cells = [r * w + col, r * w + col + 1, (r + 1) * w + col, (r + 1) * w + col + 1].map((i) => maps[i]);
          return cells[0].map((_, d) => Math.max(...cells.map((cell) => cell[d])));
        });
      ks = pool(ks);
      vs = pool(vs);
    }
    beta.push([]);
    for (let i = 0; i < n; i++) {
      const logits = ks.map((kj) => kj.reduce((acc, e, d) => acc + e * qs[i][d], 0));
      const mx = Math.max(...logits);
      const ex = logits.map((l) => Math.exp(l - mx));
      const sum = ex.reduce((a, e) => a + e, 0);
      const row = ex.map((e) => e / sum);
      beta[bi].push(row);
      const attended = vs[0].map((_, d) => row.reduce((acc, r, j) => acc + r * vs[j][d], 0));
      const out = o(attended);
      pos[i].forEach((xe, ch) => y.push(xe + gamma * out[ch]));
    }
  }
  void c;
  return { y, beta };
}

describe('SelfAttention', () => {
  it('keeps the input shape; official and paper variants have the documented projection widths', () => {
    const official = built(new SelfAttention({ name: 'off', seed: 1 }), [2, 4, 4, 16]);
    expect(
      official.weights.filter((w) => w.originalName.endsWith('kernel')).map((w) => [w.originalName, w.shape]),
    ).toEqual([
      ['off/query/kernel', [1, 1, 16, 2]],
      ['off/key/kernel', [1, 1, 16, 2]],
      ['off/value/kernel', [1, 1, 16, 8]],
      ['off/out/kernel', [1, 1, 8, 16]],
    ]);
    const paper = built(new SelfAttention({ name: 'pap', variant: 'paper', useBias: false, seed: 1 }), [2, 4, 4, 16]);
    expect(paper.weights.filter((w) => w.originalName.endsWith('kernel')).map((w) => w.shape)).toEqual([
      [1, 1, 16, 2],
      [1, 1, 16, 2],
      [1, 1, 16, 2],
      [1, 1, 2, 16],
    ]);
    expect(paper.weights.some((w) => w.originalName.endsWith('bias'))).toBe(false);
    expect(weightOf(official, 'gamma').shape).toEqual([]);
    expect(official.computeOutputShape([null, 4, 4, 16])).toEqual([null, 4, 4, 16]);
    const y = paper.apply(tf.ones([3, 4, 6, 16])) as tf.Tensor;
    expect(y.shape).toEqual([3, 4, 6, 16]);
    y.dispose();
  });

  it('starts as the identity (γ = 0) and γ() reads the weight', () => {
    const layer = built(new SelfAttention({ name: 'id', seed: 2 }), [1, 2, 2, 8]);
    expect(layer.gamma().dataSync()[0]).toBe(0);
    const x = seededTensor([2, 2, 2, 8], 4);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    expect(maxAbsDiff(x, y)).toBe(0);
    weightOf(layer, 'gamma').write(tf.scalar(0.25));
    expect(layer.gamma().dataSync()[0]).toBeCloseTo(0.25, 7);
    tf.dispose([x, y]);
  });

  it('computes softmax_j(θ_i·φ_j) and y = x + γ·out(Σ_j β_ij g_j) like a naive loop (official, full keys)', () => {
    const layer = built(new SelfAttention({ name: 'ref', seed: 3 }), [1, 3, 2, 8]);
    weightOf(layer, 'gamma').write(tf.scalar(0.7));
    const x = seededTensor([2, 3, 2, 8], 5) as tf.Tensor4D;
    const { y: expected } = naiveAttention(layer, x);
    const y = layer.apply(x) as tf.Tensor;
    expect(maxAbsDiff(y, tf.tensor(expected, y.shape))).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });

  it('paper variant with pooled keys matches the naive loop too', () => {
    const layer = built(new SelfAttention({ name: 'pp', variant: 'paper', pooledKeys: true, seed: 9 }), [1, 4, 6, 16]);
    weightOf(layer, 'gamma').write(tf.scalar(-1.1));
    const x = seededTensor([2, 4, 6, 16], 10) as tf.Tensor4D;
    const { y: expected, beta } = naiveAttention(layer, x);
    expect(beta[0][0].length).toBe(6);
    const y = layer.apply(x) as tf.Tensor;
    expect(maxAbsDiff(y, tf.tensor(expected, y.shape))).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });

  it('a training forward updates the u of all four projections; inference leaves them', () => {
    const layer = built(new SelfAttention({ name: 'upd', seed: 4 }), [1, 2, 2, 16]); // C/8 = 2: a 1-D u would stay ±1
    const us = () =>
      ['query', 'key', 'value', 'out'].map((p) => Array.from(weightOf(layer, `${p}/u`).read().dataSync()));
    const before = us();
    const x = seededTensor([1, 2, 2, 16], 6);
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(us()).toEqual(before);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    us().forEach((u, i) => expect(u).not.toEqual(before[i]));
    x.dispose();
  });

  it('probes attention rows in the same forward: they equal the full rows and sum to 1', () => {
    const layer = built(new SelfAttention({ name: 'probe', seed: 5 }), [1, 4, 4, 8]);
    weightOf(layer, 'gamma').write(tf.scalar(0.5));
    const x = seededTensor([2, 4, 4, 8], 7) as tf.Tensor4D;
    const { beta } = naiveAttention(layer, x);
    const queries = [0, 5, 15];
    layer.setAttentionProbe(queries);
    tf.dispose(layer.apply(x) as tf.Tensor);
    const probed = layer.takeProbedAttention();
    expect(probed).not.toBeNull();
    const { maps, keyHeight, keyWidth } = probed!;
    expect(maps.shape).toEqual([2, 3, 16]);
    expect([keyHeight, keyWidth]).toEqual([4, 4]);
    const expected = beta.map((rows) => queries.map((q) => rows[q]));
    expect(maxAbsDiff(maps, tf.tensor(expected))).toBeLessThan(1e-5);
    tf.sum(maps, 2)
      .dataSync()
      .forEach((s) => expect(s).toBeCloseTo(1, 5));
    // Same rows as probing everything, i.e. the full matrix.
    layer.setAttentionProbe(Array.from({ length: 16 }, (_, i) => i));
    tf.dispose(layer.apply(x) as tf.Tensor);
    const full = layer.takeProbedAttention()!;
    expect(maxAbsDiff(maps, tf.gather(full.maps, queries, 1))).toBe(0);
    // Handed over once; probing stops with null; nothing leaks.
    expect(layer.takeProbedAttention()).toBeNull();
    tf.dispose([maps, full.maps]);
    layer.setAttentionProbe(null);
    const n0 = tf.memory().numTensors;
    tf.dispose(layer.apply(x) as tf.Tensor);
    expect(layer.takeProbedAttention()).toBeNull();
    layer.setAttentionProbe([3]);
    tf.dispose(layer.apply(x) as tf.Tensor);
    tf.dispose(layer.apply(x) as tf.Tensor); // an untaken probe is replaced, not leaked
    layer.setAttentionProbe(null);
    expect(tf.memory().numTensors).toBe(n0);
    x.dispose();
  });

  it('pooled keys: N/4 keys on an (H/2)×(W/2) grid, rows still sum to 1; odd sizes are refused', () => {
    const layer = built(new SelfAttention({ name: 'pool', pooledKeys: true, useBias: false, seed: 6 }), [1, 4, 6, 16]);
    layer.setAttentionProbe([0, 23]);
    const x = seededTensor([1, 4, 6, 16], 8);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    expect(y.shape).toEqual([1, 4, 6, 16]);
    const probed = layer.takeProbedAttention()!;
    expect(probed.maps.shape).toEqual([1, 2, 6]);
    expect([probed.keyHeight, probed.keyWidth]).toEqual([2, 3]);
    tf.sum(probed.maps, 2)
      .dataSync()
      .forEach((s) => expect(s).toBeCloseTo(1, 5));
    expect(() => layer.apply(tf.zeros([1, 3, 6, 16]))).toThrow(/even height and width/);
    layer.setAttentionProbe([40]);
    expect(() => layer.apply(x)).toThrow(/outside the 24 positions/);
    layer.setAttentionProbe(null);
    tf.dispose([x, y, probed.maps]);
  });

  it('refuses C not divisible by 8 and bad probe indices with clear messages', () => {
    expect(() => new SelfAttention({ name: 'bad' }).apply(tf.zeros([1, 2, 2, 12]))).toThrow(/divisible by 8/);
    expect(() => new SelfAttention({ name: 'idx' }).setAttentionProbe([1.5])).toThrow(/non-negative integers/);
  });

  it('save → load keeps weights, the trained u and γ; outputs are identical', async () => {
    for (const args of [{ seed: 7 }, { variant: 'paper' as const, pooledKeys: true, useBias: false, seed: 8 }]) {
      const layer = new SelfAttention({ name: 'att', ...args });
      const model = wrap(layer, [{ shape: [4, 4, 16] }]);
      weightOf(layer, 'gamma').write(tf.scalar(-0.3));
      const x = seededTensor([2, 4, 4, 16], 9);
      tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
      const loaded = await saveAndLoad(model);
      const copy = loaded.getLayer('att') as SelfAttention;
      expect(copy).toBeInstanceOf(SelfAttention);
      expect(copy.getConfig()).toEqual(layer.getConfig());
      expect(copy.gamma().dataSync()[0]).toBeCloseTo(-0.3, 7);
      const a = model.predict(x) as tf.Tensor;
      const b = loaded.predict(x) as tf.Tensor;
      expect(maxAbsDiff(a, b)).toBe(0);
      tf.dispose([x, a, b]);
      loaded.dispose();
    }
  });
});
