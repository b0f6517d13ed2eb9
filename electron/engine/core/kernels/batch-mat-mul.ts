import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../tfjs-internals';
import type { KernelArgs } from './wasm-ops';
import { KernelScope } from './wasm-ops';

/**
 * How a single 2-D product [M,K]·[K,N] runs on XNNPACK: 'matmul' through the stock BatchMatMul (which uses
 * XNNPACK's fully-connected operator only for an untransposed batch of one), 'conv' as a 1×1 convolution of a
 * [1,M,1,K] map with a [1,1,K,N] filter.
 */
export type GemmRoute = 'matmul' | 'conv';

export interface BatchMatMulPlan {
  gemm: GemmRoute;
  /** Batches of distinct right-hand matrices (attention): one GEMM per matrix, or the stock scalar loop. */
  batched: 'per-matrix' | 'stock';
}

/**
 * Measured with `npx tsx bench/kernels.ts` (median CPU ms per call, 1 thread, 2-vCPU AMD EPYC, SAGAN-32 shapes):
 *   shape                                   stock    fc (per matrix)   conv (per matrix)
 *   [32768,256]·[256,256]                    170         176               180
 *   [32768,256]·[256,256]ᵀ (1×1 conv dX)    1827         163               161
 *   [32768,256]ᵀ·[32768,256] (1×1 conv dW)  2273         232               214
 *   [32,256,32]·[32,32,256] (attention)       62           7.2               7.8
 *   [32,256,256]·[32,256,128]                224          24                28
 * The stock kernel runs XNNPACK only for an untransposed batch of one and a scalar loop otherwise; explicit
 * transposes plus one XNNPACK GEMM per matrix beat it by 8–11× everywhere else, so we replace it. The two GEMM routes
 * are within noise of each other; we keep the fully-connected one ('matmul'), which needs no reshapes to 4-D.
 */
export const MEASURED_BEST_PLAN: BatchMatMulPlan = { gemm: 'matmul', batched: 'per-matrix' };

/** BatchMatMul for wasm that routes every float32 product to XNNPACK (see MEASURED_BEST_PLAN). */
export function makeBatchMatMul(stock: tf.KernelFunc, plan: BatchMatMulPlan = MEASURED_BEST_PLAN) {
  return function batchMatMul(args: KernelArgs): tf.TensorInfo {
    const { inputs } = args;
    const backend = args.backend as WasmBackendLike;
    const { transposeA = false, transposeB = false } = (args.attrs ?? {}) as {
      transposeA?: boolean;
      transposeB?: boolean;
    };
    const a = inputs.a!;
    const b = inputs.b!;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2)
      return stock(args as never) as tf.TensorInfo;
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = tf.util.sizeFromShape(outerA);
    const batchB = tf.util.sizeFromShape(outerB);
    // Broadcasting between several batch dimensions: rare, leave it to the stock kernel.
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) return stock(args as never) as tf.TensorInfo;
    if (batchB !== 1 && plan.batched === 'stock') return stock(args as never) as tf.TensorInfo;
    const [ar, ac] = a.shape.slice(-2) as [number, number];
    const [br, bc] = b.shape.slice(-2) as [number, number];
    const m = transposeA ? ac : ar;
    const k = transposeA ? ar : ac;
    const n = transposeB ? br : bc;
    const outShape = [...tf.backend_util.assertAndGetBroadcastShape(outerA, outerB), m, n];
    const scope = new KernelScope(backend);
    try {
      const swapLast = (t: tf.TensorInfo) =>
        scope.run(
          'Transpose',
          { x: t },
          { perm: [...outerOf(t).map((_, i) => i), t.shape.length - 1, t.shape.length - 2] },
        );
      const left = transposeA ? swapLast(a) : a; // [..., M, K]
      const right = transposeB ? swapLast(b) : b; // [..., K, N]
      if (batchB === 1) {
        // One right-hand matrix: stack every left row into a single GEMM.
        const rows = scope.run('Reshape', { x: left }, { shape: [batchA * m, k] });
        const cols = scope.run('Reshape', { x: right }, { shape: [k, n] });
        return scope.release(
          scope.run('Reshape', { x: gemm(scope, rows, cols, plan.gemm, stock) }, { shape: outShape }),
        );
      }
      const out = backend.makeOutput(outShape, 'float32');
      scope.track(out);
      for (let i = 0; i < batchB; i++) {
        const step = new KernelScope(backend);
        const li =
          batchA === 1
            ? step.run('Reshape', { x: left }, { shape: [m, k] })
            : step.track(copyMatrix(backend, left, i, m, k));
        const product = gemm(step, li, step.track(copyMatrix(backend, right, i, k, n)), plan.gemm, stock);
        // Views go stale when the heap grows, so take them after the product exists.
        (backend.typedArrayFromHeap(out) as Float32Array).set(
          backend.typedArrayFromHeap(product) as Float32Array,
          i * m * n,
        );
        step.dispose();
      }
      return scope.release(out);
    } catch (e) {
      scope.dispose();
      throw e;
    }
  };
}

const outerOf = (t: tf.TensorInfo) => t.shape.slice(0, -2);

/** Matrix `index` of a [..., rows, cols] tensor, copied into its own [rows, cols] tensor (Slice would read the whole input). */
function copyMatrix(
  backend: WasmBackendLike,
  t: tf.TensorInfo,
  index: number,
  rows: number,
  cols: number,
): tf.TensorInfo {
  const size = rows * cols;
  const out = backend.makeOutput([rows, cols], 'float32');
  const source = backend.typedArrayFromHeap(t) as Float32Array;
  (backend.typedArrayFromHeap(out) as Float32Array).set(source.subarray(index * size, (index + 1) * size));
  return out;
}

/** [M,K]·[K,N] on XNNPACK; the result is tracked by `scope`. */
function gemm(
  scope: KernelScope,
  left: tf.TensorInfo,
  right: tf.TensorInfo,
  route: GemmRoute,
  stock: tf.KernelFunc,
): tf.TensorInfo {
  const [m, k] = left.shape as [number, number];
  const n = right.shape[1]!;
  if (route === 'matmul') {
    // The stock kernel, untransposed with a batch of one, is XNNPACK's fully-connected operator.
    return scope.track(
      stock({
        inputs: { a: left, b: right },
        backend: scope.backend,
        attrs: { transposeA: false, transposeB: false },
      } as never) as tf.TensorInfo,
    );
  }
  const x = scope.run('Reshape', { x: left }, { shape: [1, m, 1, k] });
  const w = scope.run('Reshape', { x: right }, { shape: [1, 1, k, n] });
  const y = scope.run(
    'Conv2D',
    { x, filter: w },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
  );
  return scope.run('Reshape', { x: y }, { shape: [m, n] });
}
