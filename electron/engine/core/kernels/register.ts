import * as tf from '@tensorflow/tfjs';
import { makeBatchMatMul } from './batch-mat-mul';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2dBackpropInput } from './conv2d-backprop-input';
import { unsortedSegmentSum } from './unsorted-segment-sum';

let registered = false;

/**
 * Makes the wasm backend able to train our models: the kernels it lacks (Conv2DBackpropFilter,
 * UnsortedSegmentSum), a faster Conv2DBackpropInput and a BatchMatMul on XNNPACK's GEMM. Idempotent; call before training on wasm.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  const add = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    const stock = tf.getKernel(kernelName, 'wasm');
    if (stock) tf.unregisterKernel(kernelName, 'wasm');
    // Keep the stock setup (it binds the wasm function our fallback still calls).
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc, ...(stock?.setupFunc ? { setupFunc: stock.setupFunc } : {}) });
  };
  add('Conv2DBackpropFilter', conv2dBackpropFilter as unknown as tf.KernelFunc);
  add('UnsortedSegmentSum', unsortedSegmentSum as unknown as tf.KernelFunc);
  if (stockMatMul) add('BatchMatMul', makeBatchMatMul(stockMatMul.kernelFunc) as unknown as tf.KernelFunc);
  if (stockInput) add('Conv2DBackpropInput', makeConv2dBackpropInput(stockInput.kernelFunc) as unknown as tf.KernelFunc);
}
