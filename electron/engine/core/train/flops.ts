import * as tf from '@tensorflow/tfjs';
import { observeKernels } from '../tfjs-internals';

/*
 * Counts the floating-point work of what tfjs runs (multiply-adds as 2 FLOPs), from the shapes and attributes of the
 * kernels as they are called: convolutions, their two gradients and matrix products, which are nearly all the
 * arithmetic of a GAN iteration. Element-wise ops, reductions and the optimizer are left out (a few percent), so the
 * GFLOP/s it leads to is a slight underestimate. Used by the benchmarks to put a speed next to the machine's peak.
 */

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** FLOPs of one kernel call, or 0 for kernels we do not count. */
export function kernelFlops(
  name: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
): number {
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const { x, filter } = inputs;
      if (!x || !filter) return 0;
      const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        [kh, kw, cin, cout],
        attrs.strides as number,
        (attrs.dilations ?? 1) as number,
        attrs.pad as 'same',
        attrs.dimRoundingMode as 'floor' | undefined,
      );
      return 2 * info.batchSize * info.outHeight * info.outWidth * cout * kh * kw * cin;
    }
    case 'Conv2DBackpropInput': {
      const { dy, filter } = inputs;
      if (!dy || !filter) return 0;
      const [kh, kw, cin] = filter.shape as [number, number, number, number];
      return 2 * size(dy.shape) * kh * kw * cin;
    }
    case 'Conv2DBackpropFilter': {
      const { dy } = inputs;
      const shape = attrs.filterShape as number[] | undefined;
      if (!dy || !shape) return 0;
      return 2 * size(dy.shape) * shape[0]! * shape[1]! * shape[2]!;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const { a, b } = inputs;
      if (!a || !b) return 0;
      const k = attrs.transposeA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
      const m = attrs.transposeA ? a.shape[a.shape.length - 1]! : a.shape[a.shape.length - 2]!;
      const n = attrs.transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
      const batch = Math.max(size(a.shape.slice(0, -2)), size(b.shape.slice(0, -2)));
      return 2 * batch * m * n * k;
    }
    default:
      return 0;
  }
}

/** Runs `f` and returns the FLOPs of the kernels tfjs ran meanwhile, in all and by kernel name. */
export async function countFlops(
  f: () => void | Promise<void>,
): Promise<{ flops: number; byKernel: Map<string, number> }> {
  const byKernel = new Map<string, number>();
  let flops = 0;
  await observeKernels((call, run) => {
    const name = call.kernelName;
    if (name && call.inputs) {
      const n = kernelFlops(name, call.inputs, call.attrs ?? {});
      if (n > 0) {
        flops += n;
        byKernel.set(name, (byKernel.get(name) ?? 0) + n);
      }
    }
    return run();
  }, f);
  return { flops, byKernel };
}
