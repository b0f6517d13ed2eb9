import * as tf from '@tensorflow/tfjs';
import { aliasingIdentity, makeAliasingCast } from './alias';
import { makeAvgPoolGrad } from './avg-pool-grad';
import { makeBatchMatMul } from './batch-mat-mul';
import { makeConv2dBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2dBackpropInput } from './conv2d-backprop-input';
import { makeLeadingAxesReduce } from './leading-axes-reduce';
import { maxPoolGrad } from './max-pool-grad';
import { unsortedSegmentSum } from './unsorted-segment-sum';
import { replaceWasmKernel, stockWasmKernel as stockKernelConfig } from '../tfjs-internals';

/** The kernels whose wasm version we replace; their stock versions stay reachable for fallbacks and benchmarks. */
export const REPLACED_WASM_KERNELS = [
  'BatchMatMul',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'Sum',
  'Mean',
  'Identity',
  'Cast',
  'AvgPoolGrad',
] as const;
/** The kernels tfjs-backend-wasm 4.22 lacks and one training iteration of our models needs. */
export const ADDED_WASM_KERNELS = ['Conv2DBackpropFilter', 'UnsortedSegmentSum'] as const;
/** Stock wasm kernels that give wrong results on inputs our models produce, replaced by correct ones. */
export const FIXED_WASM_KERNELS = ['MaxPoolGrad'] as const;

/**
 * Makes the wasm backend able to train our models: adds the kernels it lacks (Conv2DBackpropFilter,
 * UnsortedSegmentSum), fixes MaxPoolGrad (wrong for windows of negative values), replaces two slow kernels
 * (Conv2DBackpropInput for stride 1, BatchMatMul) with versions that run on XNNPACK, and per-channel Sum/Mean with
 * versions that skip the stock kernels' full transpose, Identity/Cast with versions that share their input's buffer
 * instead of copying it, and AvgPoolGrad of tiling windows with an upsample. Call after
 * `@tensorflow/tfjs-backend-wasm` is imported, before training; calling again does nothing.
 */
export function registerWasmTrainingKernels(): void {
  if (stockWasmKernel(REPLACED_WASM_KERNELS[0])) return;
  const found = REPLACED_WASM_KERNELS.map((name) => tf.getKernel(name, 'wasm'));
  if (found.some((k) => !k)) {
    throw new Error(
      "registerWasmTrainingKernels: the wasm backend's kernels are not registered yet; import '@tensorflow/tfjs-backend-wasm' first.",
    );
  }
  const [batchMatMul, backpropInput, , sum, mean, , cast, avgPoolGrad] = found.map((k) => k!.kernelFunc);
  const replace = (name: string, kernelFunc: unknown) => replaceWasmKernel(name, kernelFunc as tf.KernelFunc);
  replace('Conv2DBackpropFilter', makeConv2dBackpropFilter(batchMatMul!));
  replace('UnsortedSegmentSum', unsortedSegmentSum);
  replace('MaxPoolGrad', maxPoolGrad);
  replace('BatchMatMul', makeBatchMatMul(batchMatMul!));
  replace('Conv2DBackpropInput', makeConv2dBackpropInput(backpropInput!));
  replace('Sum', makeLeadingAxesReduce(sum!, 'sum'));
  replace('Mean', makeLeadingAxesReduce(mean!, 'mean'));
  replace('Identity', aliasingIdentity);
  replace('Cast', makeAliasingCast(cast!));
  replace('AvgPoolGrad', makeAvgPoolGrad(avgPoolGrad!));
}

/** The stock wasm kernel we replaced (for benchmarks and comparisons); null before registerWasmTrainingKernels. */
export function stockWasmKernel(name: (typeof REPLACED_WASM_KERNELS)[number]): tf.KernelFunc | null {
  return stockKernelConfig(name)?.kernelFunc ?? null;
}
