import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './wasm-ops';
import { isChannelsLast, isOne, KernelScope, pair } from './wasm-ops';

type FilterGradAttrs = { strides?: unknown; pad?: unknown; dilations?: unknown; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: number[] };

/**
 * Conv2DBackpropFilter, which the wasm backend lacks: dW[i,j,ci,co] = Σ_{n,oy,ox} x[n, oy·s + i − top, ox·s + j − left, ci] · dy[n,oy,ox,co].
 * - 1×1, stride 1: the single matmul xᵀ·dy.
 * - otherwise (any stride, any padding): one ordinary convolution over transposed tensors, the input as [Cin, H, W, B] (batch and
 *   channels swapped) with the output gradient as the filter [Ho, Wo, B, Cout] dilated by the stride, giving
 *   [Cin, kh, kw, Cout]. On XNNPACK it costs about 1.5× the forward convolution (CPU time, SAGAN-32 shapes). We also
 *   measured one GEMM per filter tap (padded input rows × shifted dy): no faster, and it needs more memory.
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const a = (attrs ?? {}) as unknown as FilterGradAttrs;
  if (!isChannelsLast(a.dataFormat)) throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got dataFormat ${a.dataFormat}.`);
  const [kh, kw, cin, cout] = a.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], [kh, kw, cin, cout], a.strides as [number, number], (a.dilations ?? 1) as number, a.pad as 'same', a.dimRoundingMode, false, 'channelsLast');
  // tfjs-core never passes dilations here (its conv2d gradient refuses dilated convolutions); refuse them too rather than ignore them.
  if (!isOne(a.dilations)) throw new Error('Conv2DBackpropFilter on wasm: dilated convolutions have no gradient in tfjs.');
  const [b, h, w] = x.shape as [number, number, number, number];
  const [ho, wo] = [info.outHeight, info.outWidth];
  const [sh, sw] = pair(a.strides);
  const { top, left } = info.padInfo;
  const scope = new KernelScope(backend);
  try {
    if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && top === 0 && left === 0 && ho === h && wo === w) {
      const xs = scope.run('Reshape', { x }, { shape: [b * h * w, cin] });
      const dys = scope.run('Reshape', { x: dy }, { shape: [b * h * w, cout] });
      const prod = scope.run('BatchMatMul', { a: xs, b: dys }, { transposeA: true, transposeB: false });
      return scope.release(scope.run('Reshape', { x: prod }, { shape: [1, 1, cin, cout] }));
    }
    // Rows/columns of the input no output pixel reads (strided 'valid' leftovers) would give negative padding: crop them.
    const bottom = kh + (ho - 1) * sh - h - top;
    const right = kw + (wo - 1) * sw - w - left;
    let xt = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, B]
    if (bottom < 0 || right < 0) xt = scope.run('Slice', { x: xt }, { begin: [0, 0, 0, 0], size: [cin, h + Math.min(bottom, 0), w + Math.min(right, 0), b] });
    const dyt = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [Ho, Wo, B, Cout]
    const pad = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const conv = scope.run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [sh, sw] }); // [Cin, kh, kw, Cout]
    return scope.release(scope.run('Transpose', { x: conv }, { perm: [1, 2, 0, 3] }));
  } catch (e) {
    scope.dispose();
    throw e;
  }
}
