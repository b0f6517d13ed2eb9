import * as tf from '@tensorflow/tfjs';
import type { KernelArgs, WasmBackendLike } from './wasm-ops';
import { isChannelsLast, isOne, KernelScope, pair } from './wasm-ops';

type FilterGradAttrs = { strides?: unknown; pad?: unknown; dilations?: unknown; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: number[] };

/**
 * Conv2DBackpropFilter, which the wasm backend lacks: dW[i,j,ci,co] = Σ_{n,oy,ox} x[n, oy·s + i − top, ox·s + j − left, ci] · dy[n,oy,ox,co].
 * - 1×1, stride 1: the single matmul xᵀ·dy.
 * - otherwise without dilation: one ordinary convolution over transposed tensors, the input as [Cin, H, W, B] (batch and
 *   channels swapped) with the output gradient as the filter [Ho, Wo, B, Cout] dilated by the stride, giving
 *   [Cin, kh, kw, Cout]. On XNNPACK it costs about 1.5× the forward convolution (CPU time, SAGAN-32 shapes). We also
 *   measured one GEMM per filter tap (padded input rows × shifted dy): no faster, and it needs more memory.
 * - dilated convolutions (unused by our models): a direct loop, correct and slow.
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const a = (attrs ?? {}) as unknown as FilterGradAttrs;
  if (!isChannelsLast(a.dataFormat)) throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got dataFormat ${a.dataFormat}.`);
  const [kh, kw, cin, cout] = a.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], [kh, kw, cin, cout], a.strides as [number, number], (a.dilations ?? 1) as number, a.pad as 'same', a.dimRoundingMode, false, 'channelsLast');
  if (!isOne(a.dilations)) return directFilterGradient(x, dy, backend as WasmBackendLike, info);
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

/** The textbook sum, for dilated convolutions. */
function directFilterGradient(x: tf.TensorInfo, dy: tf.TensorInfo, backend: WasmBackendLike, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  const { batchSize, inHeight, inWidth, inChannels: cin, outChannels: cout, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const out = new Float32Array(kh * kw * cin * cout);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      for (let n = 0; n < batchSize; n++) {
        for (let oy = 0; oy < outHeight; oy++) {
          const iy = oy * strideHeight - top + i * dilationHeight;
          if (iy < 0 || iy >= inHeight) continue;
          for (let ox = 0; ox < outWidth; ox++) {
            const ix = ox * strideWidth - left + j * dilationWidth;
            if (ix < 0 || ix >= inWidth) continue;
            const xo = ((n * inHeight + iy) * inWidth + ix) * cin;
            const dyo = ((n * outHeight + oy) * outWidth + ox) * cout;
            for (let ci = 0; ci < cin; ci++) {
              const xval = xv[xo + ci]!;
              const wo = ((i * kw + j) * cin + ci) * cout;
              for (let co = 0; co < cout; co++) out[wo + co]! += xval * dyv[dyo + co]!;
            }
          }
        }
      }
    }
  }
  return backend.makeOutput([kh, kw, cin, cout], 'float32', undefined, out);
}
