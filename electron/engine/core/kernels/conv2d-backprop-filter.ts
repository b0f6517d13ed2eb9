import * as tf from '@tensorflow/tfjs';
import { isOne, KernelScope, stride1Padding } from './wasm-ops';

/**
 * Conv2DBackpropFilter, which the wasm backend lacks. For stride 1 and no dilation (all our models) it is one
 * ordinary convolution over transposed tensors: the input as [Cin, H, W, B] (batch and channels swapped) with
 * the output gradient as the filter [Ho, Wo, B, Cout], giving [Cin, kh, kw, Cout]; a 1×1 filter is a single
 * matmul xᵀ·dy. Other strides fall back to a direct loop (correct, slower).
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const a = (attrs ?? {}) as { strides?: unknown; pad?: unknown; dilations?: unknown; dataFormat?: string; filterShape: number[] };
  const [kh, kw, cin, cout] = a.filterShape as [number, number, number, number];
  const [b, h, w] = x.shape as [number, number, number, number];
  const scope = new KernelScope(backend);
  const padding = stride1Padding(a.pad, kh, kw);
  const fast = isOne(a.strides) && isOne(a.dilations) && (a.dataFormat ?? 'NHWC') === 'NHWC' && padding !== null;
  if (fast && kh === 1 && kw === 1 && padding.every(([p, q]) => p === 0 && q === 0)) {
    const xs = scope.run('Reshape', { x }, { shape: [1, b * h * w, cin] });
    const dys = scope.run('Reshape', { x: dy }, { shape: [1, b * h * w, cout] });
    const prod = scope.run('BatchMatMul', { a: xs, b: dys }, { transposeA: true, transposeB: false });
    return scope.release(scope.run('Reshape', { x: prod }, { shape: [1, 1, cin, cout] }));
  }
  if (fast) {
    const xt = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    const dyt = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const conv = scope.run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad: padding, dataFormat: 'NHWC', dilations: [1, 1] });
    return scope.release(scope.run('Transpose', { x: conv }, { perm: [1, 2, 0, 3] }));
  }
  return directFilterGradient(x, dy, backend, a);
}

/** The textbook sum, for strides, dilations or paddings the fast path does not cover. */
function directFilterGradient(x: tf.TensorInfo, dy: tf.TensorInfo, backend: tf.KernelBackend, attrs: { strides?: unknown; pad?: unknown; dilations?: unknown; filterShape: number[] }): tf.TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape as [number, number, number, number], attrs.strides as number, (attrs.dilations ?? 1) as number, attrs.pad as 'same', undefined, false, 'channelsLast');
  const xv = backend.readSync(x.dataId) as Float32Array;
  const dyv = backend.readSync(dy.dataId) as Float32Array;
  const [kh, kw, cin, cout] = attrs.filterShape as [number, number, number, number];
  const out = new Float32Array(kh * kw * cin * cout);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
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
  return (backend as tf.KernelBackend & { makeOutput(shape: number[], dtype: 'float32', offset?: number, values?: Float32Array): tf.TensorInfo }).makeOutput([kh, kw, cin, cout], 'float32', undefined, out);
}
