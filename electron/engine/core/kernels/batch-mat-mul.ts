import type * as tf from '@tensorflow/tfjs';
import { KernelScope } from './wasm-ops';

/**
 * BatchMatMul through the wasm Conv2D kernel: a [M, K]·[K, N] product is a 1×1 convolution of a [1, M, 1, K] map
 * with a [1, 1, K, N] filter, which XNNPACK runs as a packed GEMM, several times faster than the stock
 * BatchMatMul kernel for the big products of 1×1 convolutions and linear layers. Batches of distinct matrices
 * (attention) stay on the stock kernel: slicing them apart and concatenating measured slower.
 */
export function makeBatchMatMul(stock: tf.KernelFunc) {
  return function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
    const { inputs, backend } = args;
    const { transposeA = false, transposeB = false } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    const a = inputs.a!;
    const b = inputs.b!;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return stock(args as never) as tf.TensorInfo;
    const outer = (s: number[]) => s.slice(0, -2);
    const count = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const batchA = count(outer(a.shape));
    const batchB = count(outer(b.shape));
    // Per-matrix batches (attention) measured slower through slices and concat than the stock loop: keep it.
    if (batchB !== 1) return stock(args as never) as tf.TensorInfo;
    const [ar, ac] = a.shape.slice(-2) as [number, number];
    const [br, bc] = b.shape.slice(-2) as [number, number];
    const m = transposeA ? ac : ar;
    const k = transposeA ? ar : ac;
    const n = transposeB ? br : bc;
    const outShape = [...(outer(a.shape).length >= outer(b.shape).length ? outer(a.shape) : outer(b.shape)), m, n];
    const scope = new KernelScope(backend);
    const swapLast = (t: tf.TensorInfo) => scope.run('Transpose', { x: t }, { perm: [...t.shape.slice(0, -2).map((_, i) => i), t.shape.length - 1, t.shape.length - 2] });
    const left = transposeA ? swapLast(a) : a; // [..., M, K]
    const right = transposeB ? swapLast(b) : b; // [..., K, N]
    const gemm = (x: tf.TensorInfo, w: tf.TensorInfo, rows: number) =>
      scope.run('Conv2D', { x: scope.run('Reshape', { x }, { shape: [1, rows, 1, k] }), filter: scope.run('Reshape', { x: w }, { shape: [1, 1, k, n] }) }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
    return scope.release(scope.run('Reshape', { x: gemm(left, right, batchA * m) }, { shape: outShape }));
  };
}
