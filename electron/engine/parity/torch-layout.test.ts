import { describe, it, expect } from 'vitest';
import {
  chwToHwcUnitOrder,
  convWeightNhwcToTorch,
  convWeightTorchToNhwc,
  linearToMapNhwcToTorch,
  linearToMapTorchToNhwc,
  linearWeightNhwcToTorch,
  linearWeightTorchToNhwc,
  nchwToNhwc,
  nhwcToNchw,
  permuteAxes,
  unitsChwToHwc,
  unitsHwcToChw,
  type LayoutTensor,
} from './torch-layout';

/** Deterministic uniform values in [-1, 1) (mulberry32). */
function randomArray(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
const tensor = (shape: number[], seed: number): LayoutTensor => ({
  shape,
  data: randomArray(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
});

/** Naive "same"-padded, stride-1 conv in PyTorch layout: x [B,C,H,W], w [O,C,k,k] → [B,O,H,W]. */
function convNchw(x: LayoutTensor, w: LayoutTensor): LayoutTensor {
  const [b, c, h, wd] = x.shape as [number, number, number, number];
  const [o, , k] = w.shape as [number, number, number, number];
  const p = Math.floor(k / 2);
  const out = new Float32Array(b * o * h * wd);
  for (let n = 0; n < b; n++)
    for (let oc = 0; oc < o; oc++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < wd; xx++) {
          let s = 0;
          for (let ic = 0; ic < c; ic++)
            for (let dy = 0; dy < k; dy++)
              for (let dx = 0; dx < k; dx++) {
                const iy = y + dy - p;
                const ix = xx + dx - p;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                s += x.data[((n * c + ic) * h + iy) * wd + ix]! * w.data[((oc * c + ic) * k + dy) * k + dx]!;
              }
          out[((n * o + oc) * h + y) * wd + xx] = s;
        }
  return { shape: [b, o, h, wd], data: out };
}

/** The same conv in our layout: x [B,H,W,C], kernel [k,k,C,O] → [B,H,W,O]. */
function convNhwc(x: LayoutTensor, kern: LayoutTensor): LayoutTensor {
  const [b, h, wd, c] = x.shape as [number, number, number, number];
  const [k, , , o] = kern.shape as [number, number, number, number];
  const p = Math.floor(k / 2);
  const out = new Float32Array(b * h * wd * o);
  for (let n = 0; n < b; n++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < wd; xx++)
        for (let oc = 0; oc < o; oc++) {
          let s = 0;
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++)
              for (let ic = 0; ic < c; ic++) {
                const iy = y + dy - p;
                const ix = xx + dx - p;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                s += x.data[((n * h + iy) * wd + ix) * c + ic]! * kern.data[((dy * k + dx) * c + ic) * o + oc]!;
              }
          out[((n * h + y) * wd + xx) * o + oc] = s;
        }
  return { shape: [b, h, wd, o], data: out };
}

const norm = (v: Float64Array) => Math.max(Math.hypot(...v), 1e-12);
const normalize = (v: Float64Array) => v.map((x) => x / norm(v));

/** One PyTorch power iteration on M [rows, cols] (weight_mat): v = n(Mᵀu), u' = n(Mv), σ = u'·Mv. */
function powerIteration(m: LayoutTensor, u: Float32Array): { u: Float64Array; sigma: number } {
  const [rows, cols] = m.shape as [number, number];
  const v = normalize(
    Float64Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let i = 0; i < rows; i++) s += m.data[i * cols + j]! * u[i]!;
      return s;
    }),
  );
  const mv = Float64Array.from({ length: rows }, (_, i) => {
    let s = 0;
    for (let j = 0; j < cols; j++) s += m.data[i * cols + j]! * v[j]!;
    return s;
  });
  const uNext = normalize(mv);
  return { u: uNext, sigma: uNext.reduce((s, x, i) => s + x * mv[i]!, 0) };
}

describe('permuteAxes', () => {
  it('transposes a 2×3 matrix element by element', () => {
    const t = permuteAxes({ shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, [1, 0]);
    expect(t.shape).toEqual([3, 2]);
    expect([...t.data]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('keeps the array type and moves each element of a rank-4 tensor to its permuted index', () => {
    const shape = [2, 3, 4, 5];
    const data = Int32Array.from({ length: 120 }, (_, i) => i);
    const t = permuteAxes({ shape, data }, [2, 0, 3, 1]);
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(t.shape).toEqual([4, 2, 5, 3]);
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 3; b++)
        for (let c = 0; c < 4; c++)
          for (let d = 0; d < 5; d++) {
            expect(t.data[((c * 2 + a) * 5 + d) * 3 + b]).toBe(((a * 3 + b) * 4 + c) * 5 + d);
          }
  });

  it('rejects a non-permutation and a data length that does not fill the shape', () => {
    expect(() => permuteAxes(tensor([2, 3], 1), [0, 0])).toThrow(/not a permutation/);
    expect(() => permuteAxes({ shape: [2, 3], data: new Float32Array(5) }, [1, 0])).toThrow(/do not fill/);
  });
});

describe('conv, linear and image layouts', () => {
  it('a conv with converted weights and images computes the same output in NHWC', () => {
    const x = tensor([2, 3, 5, 4], 11);
    const w = tensor([6, 3, 3, 3], 12);
    const expected = nchwToNhwc(convNchw(x, w));
    const kernel = convWeightTorchToNhwc(w);
    expect(kernel.shape).toEqual([3, 3, 3, 6]);
    const actual = convNhwc(nchwToNhwc(x), kernel);
    expect(actual.shape).toEqual(expected.shape);
    for (let i = 0; i < actual.data.length; i++) expect(actual.data[i]).toBeCloseTo(expected.data[i]!, 5);
  });

  it('conv weight and image conversions are inverse to each other', () => {
    const w = tensor([4, 2, 3, 1], 3);
    expect(convWeightNhwcToTorch(convWeightTorchToNhwc(w))).toEqual(w);
    const x = tensor([2, 3, 4, 5], 4);
    const y = nchwToNhwc(x);
    expect(y.shape).toEqual([2, 4, 5, 3]);
    expect(y.data[((1 * 4 + 2) * 5 + 3) * 3 + 1]).toBe(x.data[((1 * 3 + 1) * 4 + 2) * 5 + 3]);
    expect(nhwcToNchw(y)).toEqual(x);
  });

  it('a linear layer gives the same outputs with its kernel as [in, out]', () => {
    const w = tensor([3, 4], 5);
    const x = randomArray(4, 6);
    const k = linearWeightTorchToNhwc(w);
    expect(k.shape).toEqual([4, 3]);
    for (let o = 0; o < 3; o++) {
      let torch = 0;
      let ours = 0;
      for (let i = 0; i < 4; i++) {
        torch += w.data[o * 4 + i]! * x[i]!;
        ours += x[i]! * k.data[i * 3 + o]!;
      }
      expect(ours).toBeCloseTo(torch, 6);
    }
    expect(linearWeightNhwcToTorch(k)).toEqual(w);
  });

  it('a conv kernel keeps σ and u of the spectral norm: ours is the transposed, row-permuted matrix', () => {
    const w = tensor([5, 3, 3, 3], 7);
    const u = randomArray(5, 8);
    const torch = powerIteration({ shape: [5, 27], data: w.data }, u);
    const kernel = convWeightTorchToNhwc(w); // K = kernel.reshape(27, 5); PyTorch's matrix is Kᵀ up to a row order
    const kT = permuteAxes({ shape: [27, 5], data: kernel.data }, [1, 0]);
    const ours = powerIteration(kT, u);
    expect(ours.sigma).toBeCloseTo(torch.sigma, 5);
    for (let i = 0; i < 5; i++) expect(ours.u[i]).toBeCloseTo(torch.u[i]!, 6);
  });

  it('names the expected layout when the rank is wrong', () => {
    expect(() => convWeightTorchToNhwc(tensor([3, 4], 1))).toThrow(/\[out, in, kh, kw\].*\[3, 4\]/);
    expect(() => nhwcToNchw(tensor([3, 4, 5], 1))).toThrow(/\[B, H, W, C\]/);
  });
});

describe('Linear output reshaped to a feature map', () => {
  const map = { channels: 3, height: 2, width: 4 };
  const units = 24;
  const inputs = 5;

  it('maps each NHWC unit to the PyTorch unit c·H·W + h·W + w', () => {
    const order = chwToHwcUnitOrder(map);
    expect(order[0]).toBe(0);
    expect(order[1]).toBe(8); // (h0, w0, c1) ← c1·8
    expect(order[3]).toBe(1); // (h0, w1, c0) ← w1
    expect(order[4 * 3]).toBe(4); // (h1, w0, c0) ← h1·4
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: units }, (_, i) => i));
  });

  it('the permuted Linear + NHWC reshape computes the same feature map as the original Linear + NCHW view', () => {
    const weight = tensor([units, inputs], 21);
    const bias = randomArray(units, 22);
    const x = randomArray(inputs, 23);
    const torchOut = Array.from(
      { length: units },
      (_, o) => bias[o]! + x.reduce((s, xi, i) => s + weight.data[o * inputs + i]! * xi, 0),
    );
    const ours = linearToMapTorchToNhwc({ weight, bias }, map);
    expect(ours.weight.shape).toEqual([inputs, units]);
    const ourOut = Array.from(
      { length: units },
      (_, j) => ours.bias![j]! + x.reduce((s, xi, i) => s + xi * ours.weight.data[i * units + j]!, 0),
    );
    const { channels: C, height: H, width: W } = map;
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) {
          expect(ourOut[h * W * C + w * C + c]).toBeCloseTo(torchOut[c * H * W + h * W + w]!, 6);
        }
  });

  it('the permuted u gives the same σ and the permuted next u in one power iteration', () => {
    const weight = tensor([units, inputs], 31);
    const u = randomArray(units, 32);
    const torch = powerIteration(weight, u);
    const ours = linearToMapTorchToNhwc({ weight, u }, map);
    const oursIter = powerIteration(permuteAxes(ours.weight, [1, 0]), ours.u!);
    expect(oursIter.sigma).toBeCloseTo(torch.sigma, 6);
    const expectedU = unitsChwToHwc(Float32Array.from(torch.u), map);
    for (let j = 0; j < units; j++) expect(oursIter.u[j]).toBeCloseTo(expectedU[j]!, 6);
  });

  it('converts back to PyTorch exactly, and vector reorders are inverse', () => {
    const layer = { weight: tensor([units, inputs], 41), bias: randomArray(units, 42), u: randomArray(units, 43) };
    expect(linearToMapNhwcToTorch(linearToMapTorchToNhwc(layer, map), map)).toEqual(layer);
    const v = Int32Array.from({ length: units }, (_, i) => i * 7);
    expect(unitsHwcToChw(unitsChwToHwc(v, map), map)).toEqual(v);
    expect(linearToMapTorchToNhwc({ weight: tensor([units, inputs], 1) }, map)).not.toHaveProperty('bias');
  });

  it('refuses a layer whose unit count does not match the feature map', () => {
    expect(() => linearToMapTorchToNhwc({ weight: tensor([23, inputs], 1) }, map)).toThrow(/23 units.*3×2×4.*24/);
    expect(() => unitsChwToHwc(new Float32Array(5), map)).toThrow(/5 units/);
  });
});
