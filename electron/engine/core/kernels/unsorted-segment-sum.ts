import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../tfjs-internals';
import type { KernelArgs } from './wasm-ops';

/**
 * UnsortedSegmentSum, which the wasm backend lacks: the gradient of gather (class embeddings, CBN tables).
 * out[s, …] = Σ_{i: ids[i] = s} x[i, …]; ids outside [0, numSegments) are dropped, as in TensorFlow. The tables
 * are small (classes × channels), so a loop over the heap is plenty.
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const ids = inputs.segmentIds!;
  const numSegments = (attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32' && x.dtype !== 'int32')
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 data, got ${x.dtype}.`);
  const wasm = backend as WasmBackendLike;
  const xv = wasm.readSync(x.dataId) as Float32Array | Int32Array;
  const idv = wasm.readSync(ids.dataId) as Int32Array | Float32Array;
  const rows = idv.length;
  const inner = rows === 0 ? 0 : xv.length / rows;
  const out = tf.util.getTypedArrayFromDType(x.dtype, numSegments * inner) as Float32Array | Int32Array;
  for (let i = 0; i < rows; i++) {
    const s = idv[i]!;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) out[dst + k]! += xv[src + k]!;
  }
  const shape = [numSegments, ...x.shape.slice(ids.shape.length)];
  return wasm.makeOutput(shape, x.dtype, undefined, out);
}
