import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../tfjs-internals';

/**
 * A tensor that reads `shape` floats of `owner`'s buffer from `elementOffset` on, without a copy. Release it with
 * releaseView, never disposeData (which would free memory the view does not own). Kernel-internal only.
 */
export function viewOf(
  backend: WasmBackendLike,
  owner: tf.TensorInfo,
  elementOffset: number,
  shape: number[],
): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32', backend.getMemoryOffset(owner.dataId) + 4 * elementOffset);
}

/** Forgets a view made by viewOf (its C-side record and our table entry), leaving the owner's memory alone. */
export function releaseView(backend: WasmBackendLike, view: tf.TensorInfo): void {
  const entry = backend.dataIdMap.get(view.dataId);
  if (!entry) return;
  backend.wasm.tfjs.disposeData(entry.id);
  backend.dataIdMap.delete(view.dataId);
}

export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/**
 * Calls other wasm kernels from inside a kernel (no tape, no engine bookkeeping) and remembers the
 * intermediates so they are freed together. Every kernel output owns one reference to its data (Reshape and
 * Identity add one to their input's), so freeing each intermediate once is exactly right.
 */
export class KernelScope {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(readonly backend: tf.KernelBackend) {}

  run(
    name: string,
    inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
    attrs: Record<string, unknown> = {},
  ): tf.TensorInfo {
    return this.track(callWasmKernel(name, this.backend, inputs, attrs));
  }

  /** Adopts a tensor made outside `run` (e.g. by makeOutput) so it is freed with the rest. */
  track(t: tf.TensorInfo): tf.TensorInfo {
    this.temps.push(t);
    return t;
  }

  /** Frees every intermediate except `keep` (the kernel's result). */
  release(keep: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temps) if (t !== keep) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
    return keep;
  }

  /** Frees everything (on an error path). */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Runs the currently registered wasm kernel `name` (ours where we replaced one). */
export function callWasmKernel(
  name: string,
  backend: tf.KernelBackend,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel)
    throw new Error(`The wasm backend has no ${name} kernel (is @tensorflow/tfjs-backend-wasm 4.22 loaded?).`);
  // Concat takes its inputs as an array; every other kernel by name.
  return kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo;
}

export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Padding [[0,0],[top,bottom],[left,right],[0,0]] of a stride-1, dilation-1 convolution in TensorFlow's convention
 * ('same' puts the odd pixel at the bottom/right), or null for paddings we do not rewrite (dimRoundingMode cases).
 */
export function stride1Padding(pad: unknown, kh: number, kw: number): ExplicitPadding | null {
  if (pad === 'valid')
    return [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
  if (pad === 'same') {
    const top = Math.floor((kh - 1) / 2);
    const left = Math.floor((kw - 1) / 2);
    return [
      [0, 0],
      [top, kh - 1 - top],
      [left, kw - 1 - left],
      [0, 0],
    ];
  }
  if (typeof pad === 'number')
    return [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ];
  if (
    Array.isArray(pad) &&
    pad.length === 4 &&
    pad.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
  ) {
    const p = pad as ExplicitPadding;
    // Explicit padding on batch or channels is not a spatial convolution we can rewrite.
    return p[0][0] === 0 && p[0][1] === 0 && p[3][0] === 0 && p[3][1] === 0 ? p : null;
  }
  return null;
}

/** True when a stride or dilation attribute is 1 in every spatial dimension. */
export const isOne = (v: unknown): boolean =>
  v === undefined || v === null || v === 1 || (Array.isArray(v) && v.every((x) => x === 1));

/** [h, w] of a stride or dilation attribute (a number or a pair). */
export const pair = (v: unknown): [number, number] =>
  Array.isArray(v)
    ? [v[0] as number, v[1] as number]
    : [(v as number | undefined) ?? 1, (v as number | undefined) ?? 1];

export const isChannelsLast = (dataFormat: unknown): boolean =>
  dataFormat === undefined || dataFormat === null || dataFormat === 'NHWC';
