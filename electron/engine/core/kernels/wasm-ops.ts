import * as tf from '@tensorflow/tfjs';

/**
 * Calls other kernels of the same backend from inside a kernel (no tape, no engine bookkeeping) and
 * remembers the intermediates so they can be freed together.
 */
export class KernelScope {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(readonly backend: tf.KernelBackend) {}

  run(name: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs: Record<string, unknown> = {}): tf.TensorInfo {
    const kernel = tf.getKernel(name, tf.getBackend());
    // Concat takes its inputs as an array; every other kernel by name.
    if (!kernel) throw new Error(`The ${tf.getBackend()} backend has no ${name} kernel.`);
    const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** Frees every intermediate except `keep` (the kernel's result). */
  release(keep: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temps) if (t !== keep) this.backend.disposeData(t.dataId);
    return keep;
  }
}

export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** top/bottom/left/right of "same" or "valid" (or explicit) padding for a stride-1 convolution with an odd or even kernel. */
export function stride1Padding(pad: unknown, kh: number, kw: number): ExplicitPadding | null {
  if (pad === 'valid') return [[0, 0], [0, 0], [0, 0], [0, 0]];
  if (pad === 'same') {
    const top = Math.floor((kh - 1) / 2);
    const left = Math.floor((kw - 1) / 2);
    return [[0, 0], [top, kh - 1 - top], [left, kw - 1 - left], [0, 0]];
  }
  if (typeof pad === 'number') return [[0, 0], [pad, pad], [pad, pad], [0, 0]];
  if (Array.isArray(pad) && pad.length === 4) return pad as ExplicitPadding;
  return null;
}

export const isOne = (v: unknown) => v === 1 || (Array.isArray(v) && v.every((x) => x === 1)) || v === undefined || v === null;
