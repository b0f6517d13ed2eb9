import type * as tf from '@tensorflow/tfjs';

type WasmLike = tf.KernelBackend & { makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array): tf.TensorInfo };

/**
 * UnsortedSegmentSum, which the wasm backend lacks: the gradient of gather (class embeddings, CBN tables).
 * out[s, …] = Σ_{i: ids[i] = s} x[i, …]; ids outside [0, numSegments) are dropped, as in TensorFlow.
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const x = inputs.x!;
  const ids = inputs.segmentIds!;
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const xv = backend.readSync(x.dataId) as Float32Array;
  const idv = backend.readSync(ids.dataId) as Int32Array;
  const rows = idv.length;
  const inner = rows === 0 ? 0 : xv.length / rows;
  const out = new Float32Array(numSegments * inner);
  for (let i = 0; i < rows; i++) {
    const s = idv[i]!;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) out[dst + k]! += xv[src + k]!;
  }
  const shape = [numSegments, ...x.shape.slice(ids.shape.length)];
  return (backend as WasmLike).makeOutput(shape, 'float32', undefined, out);
}
