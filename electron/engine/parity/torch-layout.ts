/**
 * Layout conversions between PyTorch tensors and the engine's tfjs (NHWC) tensors. Pure TypeScript on flat
 * row-major arrays, so state from torch_reference.py (see README.md) can be loaded into the engine and back.
 *
 *   PyTorch                       engine (tfjs, NHWC)
 *   conv weight [out, in, kh, kw]  kernel [kh, kw, in, out]
 *   linear weight [out, in]        kernel [in, out]
 *   images / maps [B, C, H, W]     [B, H, W, C]
 *   SN u ∈ R^out                   u ∈ R^out (same order; only the Linear → feature-map case below permutes it)
 *
 * Spectral norm: PyTorch's matrix is weight.reshape(out, -1), ours is kernel.reshape(-1, out); the two differ by
 * a transpose and a permutation of the n = in·kh·kw rows, which changes neither σ nor u, so u carries over as is.
 * PyTorch's v (weight_v) is ordered (in, kh, kw), ours would be (kh, kw, in); the engine recomputes v from u.
 */

export type NumericArray = Float32Array | Int32Array;

export interface LayoutTensor<T extends NumericArray = Float32Array> {
  shape: number[];
  data: T;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** out[i_0, …] = in[i_perm[0], …], as numpy.transpose / tf.transpose: output axis k is input axis perm[k]. */
export function permuteAxes<T extends NumericArray>(t: LayoutTensor<T>, perm: readonly number[]): LayoutTensor<T> {
  const rank = t.shape.length;
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new Error(
      `permuteAxes: [${perm.join(', ')}] is not a permutation of the ${rank} axes of a [${t.shape.join(', ')}] tensor`,
    );
  }
  if (t.data.length !== numel(t.shape))
    throw new Error(`permuteAxes: ${t.data.length} elements do not fill shape [${t.shape.join(', ')}]`);
  const outShape = perm.map((p) => t.shape[p]!);
  const inStrides = strides(t.shape);
  const stepIn = perm.map((p) => inStrides[p]!); // input stride of each output axis
  const out = new (t.data.constructor as new (n: number) => T)(t.data.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let dst = 0; dst < out.length; dst++) {
    out[dst] = t.data[src]!;
    // odometer over the output index, keeping the matching input offset
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      src += stepIn[k]!;
      if (index[k]! < outShape[k]!) break;
      src -= stepIn[k]! * outShape[k]!;
      index[k] = 0;
    }
  }
  return { shape: outShape, data: out };
}

function expectRank(t: LayoutTensor<NumericArray>, rank: number, what: string, layout: string): void {
  if (t.shape.length !== rank)
    throw new Error(`${what}: expected a rank-${rank} tensor ${layout}, got shape [${t.shape.join(', ')}]`);
}

/** PyTorch conv weight [out, in, kh, kw] → engine kernel [kh, kw, in, out]. */
export function convWeightTorchToNhwc<T extends NumericArray>(w: LayoutTensor<T>): LayoutTensor<T> {
  expectRank(w, 4, 'convWeightTorchToNhwc', '[out, in, kh, kw]');
  return permuteAxes(w, [2, 3, 1, 0]);
}

/** Engine kernel [kh, kw, in, out] → PyTorch conv weight [out, in, kh, kw]. */
export function convWeightNhwcToTorch<T extends NumericArray>(k: LayoutTensor<T>): LayoutTensor<T> {
  expectRank(k, 4, 'convWeightNhwcToTorch', '[kh, kw, in, out]');
  return permuteAxes(k, [3, 2, 0, 1]);
}

/** PyTorch linear weight [out, in] → engine kernel [in, out]. */
export function linearWeightTorchToNhwc<T extends NumericArray>(w: LayoutTensor<T>): LayoutTensor<T> {
  expectRank(w, 2, 'linearWeightTorchToNhwc', '[out, in]');
  return permuteAxes(w, [1, 0]);
}

/** Engine kernel [in, out] → PyTorch linear weight [out, in]. */
export function linearWeightNhwcToTorch<T extends NumericArray>(k: LayoutTensor<T>): LayoutTensor<T> {
  expectRank(k, 2, 'linearWeightNhwcToTorch', '[in, out]');
  return permuteAxes(k, [1, 0]);
}

/** Images or feature maps [B, C, H, W] → [B, H, W, C]. */
export function nchwToNhwc<T extends NumericArray>(x: LayoutTensor<T>): LayoutTensor<T> {
  expectRank(x, 4, 'nchwToNhwc', '[B, C, H, W]');
  return permuteAxes(x, [0, 2, 3, 1]);
}

/** Images or feature maps [B, H, W, C] → [B, C, H, W]. */
export function nhwcToNchw<T extends NumericArray>(x: LayoutTensor<T>): LayoutTensor<T> {
  expectRank(x, 4, 'nhwcToNchw', '[B, H, W, C]');
  return permuteAxes(x, [0, 3, 1, 2]);
}

export interface FeatureMapShape {
  channels: number;
  height: number;
  width: number;
}

/**
 * A Linear whose C·H·W outputs are reshaped to a feature map: PyTorch views unit c·H·W + h·W + w as (c, h, w),
 * our NHWC reshape reads unit h·W·C + w·C + c as (h, w, c). Returns `order` with order[j] = the PyTorch unit
 * that becomes our unit j, so ours[j] = torch[order[j]].
 */
export function chwToHwcUnitOrder({ channels: c, height: h, width: w }: FeatureMapShape): Int32Array {
  const order = new Int32Array(c * h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) order[y * w * c + x * c + ch] = ch * h * w + y * w + x;
  return order;
}

function checkUnits(length: number, map: FeatureMapShape, what: string): void {
  const units = map.channels * map.height * map.width;
  if (length !== units)
    throw new Error(
      `${what}: ${length} units, but a ${map.channels}×${map.height}×${map.width} feature map needs ${units}`,
    );
}

/** Reorders a per-unit vector (bias, SN u) from PyTorch's (c, h, w) unit order to our (h, w, c) order. */
export function unitsChwToHwc<T extends NumericArray>(v: T, map: FeatureMapShape): T {
  checkUnits(v.length, map, 'unitsChwToHwc');
  const order = chwToHwcUnitOrder(map);
  const out = new (v.constructor as new (n: number) => T)(v.length);
  for (let j = 0; j < order.length; j++) out[j] = v[order[j]!]!;
  return out;
}

/** Reorders a per-unit vector from our (h, w, c) unit order back to PyTorch's (c, h, w) order. */
export function unitsHwcToChw<T extends NumericArray>(v: T, map: FeatureMapShape): T {
  checkUnits(v.length, map, 'unitsHwcToChw');
  const order = chwToHwcUnitOrder(map);
  const out = new (v.constructor as new (n: number) => T)(v.length);
  for (let j = 0; j < order.length; j++) out[order[j]!] = v[j]!;
  return out;
}

/** The parts of a (spectrally normalised) Linear layer that depend on its output units' order. */
export interface LinearUnits {
  weight: LayoutTensor; // PyTorch: [out, in]; engine: kernel [in, out]
  bias?: Float32Array;
  u?: Float32Array; // SN left singular vector estimate, ∈ R^out
}

/**
 * PyTorch Linear (weight [out, in], bias, weight_u) followed by .view(-1, C, H, W) → engine Dense (kernel
 * [in, out], bias, u) followed by an NHWC reshape to [H, W, C], computing the same feature map.
 */
export function linearToMapTorchToNhwc(layer: LinearUnits, map: FeatureMapShape): LinearUnits {
  expectRank(layer.weight, 2, 'linearToMapTorchToNhwc', '[out, in]');
  const [units, inputs] = layer.weight.shape as [number, number];
  checkUnits(units, map, 'linearToMapTorchToNhwc');
  const order = chwToHwcUnitOrder(map);
  const kernel = new Float32Array(units * inputs);
  for (let i = 0; i < inputs; i++)
    for (let j = 0; j < units; j++) kernel[i * units + j] = layer.weight.data[order[j]! * inputs + i]!;
  return {
    weight: { shape: [inputs, units], data: kernel },
    ...(layer.bias ? { bias: unitsChwToHwc(layer.bias, map) } : {}),
    ...(layer.u ? { u: unitsChwToHwc(layer.u, map) } : {}),
  };
}

/** The inverse of linearToMapTorchToNhwc: engine Dense + NHWC reshape → PyTorch Linear + NCHW view. */
export function linearToMapNhwcToTorch(layer: LinearUnits, map: FeatureMapShape): LinearUnits {
  expectRank(layer.weight, 2, 'linearToMapNhwcToTorch', '[in, out]');
  const [inputs, units] = layer.weight.shape as [number, number];
  checkUnits(units, map, 'linearToMapNhwcToTorch');
  const order = chwToHwcUnitOrder(map);
  const weight = new Float32Array(units * inputs);
  for (let i = 0; i < inputs; i++)
    for (let j = 0; j < units; j++) weight[order[j]! * inputs + i] = layer.weight.data[i * units + j]!;
  return {
    weight: { shape: [units, inputs], data: weight },
    ...(layer.bias ? { bias: unitsHwcToChw(layer.bias, map) } : {}),
    ...(layer.u ? { u: unitsHwcToChw(layer.u, map) } : {}),
  };
}
