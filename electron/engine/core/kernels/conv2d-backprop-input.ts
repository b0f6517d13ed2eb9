import type * as tf from '@tensorflow/tfjs';
import { isOne, KernelScope, stride1Padding } from './wasm-ops';

/**
 * A faster Conv2DBackpropInput for stride 1: the input gradient is a plain convolution of dy with the filter
 * rotated by 180° and its in/out channels swapped, with the complementary padding. The stock wasm kernel is a
 * scalar loop; other strides keep it.
 */
export function makeConv2dBackpropInput(stock: tf.KernelFunc) {
  return function conv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const a = (attrs ?? {}) as { strides?: unknown; pad?: unknown; dilations?: unknown; dataFormat?: string; inputShape: number[] };
    const dy = inputs.dy!;
    const filter = inputs.filter!;
    const [kh, kw] = filter.shape as [number, number, number, number];
    const padding = stride1Padding(a.pad, kh, kw);
    if (!isOne(a.strides) || !isOne(a.dilations) || (a.dataFormat ?? 'NHWC') !== 'NHWC' || padding === null) return stock(args as never) as tf.TensorInfo;
    const [, [top, bottom], [left, right]] = padding;
    const scope = new KernelScope(backend);
    // [kh, kw, in, out] → rotate spatially and swap channels → [kh, kw, out, in]
    const rotated = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scope.run('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] });
    const dx = scope.run('Conv2D', { x: dy, filter: swapped }, { strides: [1, 1], pad: [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1] });
    return scope.release(dx);
  };
}
