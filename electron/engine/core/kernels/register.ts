import * as tf from '@tensorflow/tfjs';
import { aliasingIdentity, makeAliasingCast } from './alias';
import { makeAvgPoolGrad } from './avg-pool-grad';
import { makeBatchMatMul } from './batch-mat-mul';
import { makeConv2dBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2dBackpropInput } from './conv2d-backprop-input';
import { makeLeadingAxesReduce } from './leading-axes-reduce';
import { maxPoolGrad } from './max-pool-grad';
import { unsortedSegmentSum } from './unsorted-segment-sum';

/** The kernels whose wasm version we replace; their stock versions stay reachable for fallbacks and benchmarks. */
const REPLACED = [
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

let stock: Record<(typeof REPLACED)[number], tf.KernelConfig> | null = null;

/**
 * Makes the wasm backend able to train our models: adds the kernels it lacks (Conv2DBackpropFilter,
 * UnsortedSegmentSum), fixes MaxPoolGrad (wrong for windows of negative values), replaces two slow kernels
 * (Conv2DBackpropInput for stride 1, BatchMatMul) with versions that run on XNNPACK, and per-channel Sum/Mean with
 * versions that skip the stock kernels' full transpose, Identity/Cast with versions that share their input's buffer
 * instead of copying it, and AvgPoolGrad of tiling windows with an upsample. Call after
 * `@tensorflow/tfjs-backend-wasm` is imported, before training; calling again does nothing.
 */
export function registerWasmTrainingKernels(): void {
  if (stock) return;
  const found = REPLACED.map((name) => tf.getKernel(name, 'wasm'));
  if (found.some((k) => !k)) {
    throw new Error(
      "registerWasmTrainingKernels: the wasm backend's kernels are not registered yet; import '@tensorflow/tfjs-backend-wasm' first.",
    );
  }
  const [batchMatMul, backpropInput, maxPool, sum, mean, identity, cast, avgPoolGrad] = found as tf.KernelConfig[];
  stock = {
    BatchMatMul: batchMatMul!,
    Conv2DBackpropInput: backpropInput!,
    MaxPoolGrad: maxPool!,
    Sum: sum!,
    Mean: mean!,
    Identity: identity!,
    Cast: cast!,
    AvgPoolGrad: avgPoolGrad!,
  };
  const replace = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    const previous = tf.getKernel(kernelName, 'wasm');
    if (previous) tf.unregisterKernel(kernelName, 'wasm');
    // Keep the stock setup: it binds the wasm function that our fallbacks to the stock kernel still call.
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc,
      ...(previous?.setupFunc ? { setupFunc: previous.setupFunc } : {}),
      ...(previous?.disposeFunc ? { disposeFunc: previous.disposeFunc } : {}),
    });
  };
  replace('Conv2DBackpropFilter', makeConv2dBackpropFilter(batchMatMul!.kernelFunc) as unknown as tf.KernelFunc);
  replace('UnsortedSegmentSum', unsortedSegmentSum as unknown as tf.KernelFunc);
  replace('MaxPoolGrad', maxPoolGrad as unknown as tf.KernelFunc);
  replace('BatchMatMul', makeBatchMatMul(batchMatMul!.kernelFunc) as unknown as tf.KernelFunc);
  replace('Conv2DBackpropInput', makeConv2dBackpropInput(backpropInput!.kernelFunc) as unknown as tf.KernelFunc);
  replace('Sum', makeLeadingAxesReduce(sum!.kernelFunc, 'sum') as unknown as tf.KernelFunc);
  replace('Mean', makeLeadingAxesReduce(mean!.kernelFunc, 'mean') as unknown as tf.KernelFunc);
  replace('Identity', aliasingIdentity as unknown as tf.KernelFunc);
  replace('Cast', makeAliasingCast(cast!.kernelFunc) as unknown as tf.KernelFunc);
  replace('AvgPoolGrad', makeAvgPoolGrad(avgPoolGrad!.kernelFunc) as unknown as tf.KernelFunc);
}

/** The stock wasm kernel we replaced (for benchmarks and comparisons); null before registerWasmTrainingKernels. */
export function stockWasmKernel(name: (typeof REPLACED)[number]): tf.KernelFunc | null {
  return stock?.[name].kernelFunc ?? null;
}
