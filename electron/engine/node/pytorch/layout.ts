import type { WeightLayout } from './emitter';

/** A row-major array with its shape (the engine's NamedArray, or bundle data). */
export interface ShapedArray {
  shape: number[];
  data: Float32Array;
}

/** Permutes the axes of a row-major array: out.shape[i] = in.shape[perm[i]]. */
export function permute(t: ShapedArray, perm: readonly number[]): ShapedArray {
  const { shape, data } = t;
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const stride = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * stride[i]!;
    out[o] = data[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return { shape: outShape, data: out };
}

/** Engine layout → torch layout (conv [kh,kw,in,out] → [out,in,kh,kw]; dense [in,out] → [out,in]). */
export function engineToTorch(t: ShapedArray, layout: WeightLayout): ShapedArray {
  if (layout === 'conv') return permute(t, [3, 2, 0, 1]);
  if (layout === 'linear') return permute(t, [1, 0]);
  return { shape: [...t.shape], data: Float32Array.from(t.data) };
}

/** Torch layout → engine layout. */
export function torchToEngine(t: ShapedArray, layout: WeightLayout): ShapedArray {
  if (layout === 'conv') return permute(t, [2, 3, 1, 0]);
  if (layout === 'linear') return permute(t, [1, 0]);
  return { shape: [...t.shape], data: Float32Array.from(t.data) };
}
