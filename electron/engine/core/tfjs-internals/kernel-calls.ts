import * as tf from '@tensorflow/tfjs';
import { assertTfjsVersion } from './version';

/** What the engine hands its private runKernelFunc for each kernel it runs (the fields we read). */
export interface KernelCall {
  kernelName?: string;
  inputs?: Record<string, tf.TensorInfo>;
  attrs?: Record<string, unknown>;
}

interface KernelRunner {
  runKernelFunc(params: KernelCall): unknown;
}

/**
 * Runs `f` with `around(call, run)` wrapped around every kernel tfjs runs meanwhile (the engine's runKernelFunc, a
 * member outside tfjs' typings), then restores the engine, also after an error. Observers nest: an inner one wraps
 * the outer one's wrapper. Used to count FLOPs and to sample memory per kernel.
 */
export async function observeKernels<T>(
  around: (call: KernelCall, run: () => unknown) => unknown,
  f: () => T | Promise<T>,
): Promise<T> {
  assertTfjsVersion();
  const engine = tf.engine() as unknown as Partial<KernelRunner>;
  const runKernelFunc = engine.runKernelFunc;
  if (typeof runKernelFunc !== 'function')
    throw new Error(`tfjs-core ${tf.version_core}'s engine has no runKernelFunc: the kernel-call seam is broken.`);
  const ownWrapper = Object.prototype.hasOwnProperty.call(engine, 'runKernelFunc'); // another observer's, when nested
  engine.runKernelFunc = function (this: KernelRunner, params: KernelCall) {
    return around(params, () => runKernelFunc.call(this, params));
  };
  try {
    return await f();
  } finally {
    if (ownWrapper) engine.runKernelFunc = runKernelFunc;
    else delete engine.runKernelFunc; // the prototype's method again
  }
}
