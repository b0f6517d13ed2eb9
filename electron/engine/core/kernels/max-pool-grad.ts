import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../tfjs-internals';
import type { KernelArgs } from './wasm-ops';

/**
 * MaxPoolGrad for wasm. The stock kernel (tfjs-backend-wasm 4.22) routes the gradient of a window whose values are
 * all negative to the wrong element (its running maximum does not start at −∞), which corrupts the gradients of
 * attention's max-pooled keys and values. Here each output's gradient goes to the first maximum of its window, as
 * on cpu and in TensorFlow. A loop over the heap: pooling gradients are a small part of an iteration.
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const dy = inputs.dy!;
  const input = inputs.input!;
  const a = attrs as unknown as {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: 'same' | 'valid' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const wasm = backend as WasmBackendLike;
  const dx = wasm.makeOutput(input.shape, 'float32');
  // Views after the allocation: a growing heap invalidates earlier ones.
  const xv = wasm.typedArrayFromHeap(input) as Float32Array;
  const dyv = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dxv = wasm.typedArrayFromHeap(dx) as Float32Array;
  dxv.fill(0);
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: c,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    effectiveFilterHeight,
    effectiveFilterWidth,
  } = info;
  const { top, left } = info.padInfo;
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyBase = ((n * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let fy = 0; fy < effectiveFilterHeight; fy += dilationHeight) {
            const iy = oy * strideHeight - top + fy;
            if (iy < 0 || iy >= inHeight) continue;
            for (let fx = 0; fx < effectiveFilterWidth; fx += dilationWidth) {
              const ix = ox * strideWidth - left + fx;
              if (ix < 0 || ix >= inWidth) continue;
              const k = ((n * inHeight + iy) * inWidth + ix) * c + ch;
              if (xv[k]! > best || at < 0) {
                best = xv[k]!;
                at = k;
              }
            }
          }
          if (at >= 0) dxv[at]! += dyv[dyBase + ch]!;
        }
      }
    }
  }
  return dx;
}
