import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './wasm-ops';
import { isChannelsLast, isOne, KernelScope } from './wasm-ops';

type InputGradAttrs = {
  strides?: unknown;
  pad?: unknown;
  dilations?: unknown;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: number[];
};

/**
 * A faster Conv2DBackpropInput for stride 1: the input gradient is a plain convolution of dy with the filter
 * rotated by 180° and its in/out channels swapped, padded by (k − 1 − the forward padding) on each side. The stock
 * wasm kernel is a scalar loop (about 10× slower on our shapes); strided or dilated convolutions keep it.
 */
export function makeConv2dBackpropInput(stock: tf.KernelFunc) {
  return function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
    const { inputs, backend } = args;
    const a = (args.attrs ?? {}) as unknown as InputGradAttrs;
    const dy = inputs.dy!;
    const filter = inputs.filter!;
    if (!isOne(a.strides) || !isOne(a.dilations) || !isChannelsLast(a.dataFormat))
      return stock(args as never) as tf.TensorInfo;
    const [kh, kw] = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      a.inputShape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      1,
      1,
      a.pad as 'same',
      a.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { top, bottom, left, right } = info.padInfo;
    const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
    // Forward padding wider than the filter would need negative padding here: leave that to the stock kernel.
    if (pads.some((p) => p < 0)) return stock(args as never) as tf.TensorInfo;
    const scope = new KernelScope(backend);
    try {
      const rotated = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = scope.run('Transpose', { x: rotated }, { perm: [0, 1, 3, 2] }); // [kh, kw, out, in]
      const pad = [
        [0, 0],
        [pads[0], pads[1]],
        [pads[2], pads[3]],
        [0, 0],
      ];
      return scope.release(
        scope.run(
          'Conv2D',
          { x: dy, filter: swapped },
          { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] },
        ),
      );
    } catch (e) {
      scope.dispose();
      throw e;
    }
  };
}
