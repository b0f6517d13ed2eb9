import * as tf from '@tensorflow/tfjs';
import { assertTfjsVersion } from './version';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use (public methods of the class, not exported as a type). */
export interface WasmBackendLike extends tf.KernelBackend {
  /** A new tensor on the wasm heap, filled with `values` when given. */
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.TypedArray): tf.TensorInfo;
  /** A view (not a copy) of a tensor's data on the wasm heap; stale once the heap grows, so take it right before use. */
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Byte offset of a tensor's data on the wasm heap. */
  getMemoryOffset(dataId: object): number;
  /** The backend's table of tensors (public on the class, not in its typings). */
  dataIdMap: { get(dataId: object): { id: number } | undefined; delete(dataId: object): boolean };
  /** The Emscripten module: its heap and the exported C functions the backend wraps. */
  wasm: { HEAPU8: Uint8Array; tfjs: { disposeData(id: number): void } };
}

const WASM_MEMBERS = ['makeOutput', 'typedArrayFromHeap', 'getMemoryOffset'] as const;

/** The wasm backend as our kernels use it; throws when it lacks a member they call. */
export function wasmBackendOf(backend: tf.KernelBackend): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike>;
  const missing = WASM_MEMBERS.filter((k) => typeof b[k] !== 'function');
  if (typeof b.dataIdMap?.get !== 'function') missing.push('dataIdMap' as never);
  if (typeof b.wasm?.tfjs?.disposeData !== 'function') missing.push('wasm.tfjs.disposeData' as never);
  if (missing.length > 0)
    throw new Error(`This tfjs-backend-wasm lacks ${missing.join(', ')}: the wasm backend seam is broken.`);
  return b as WasmBackendLike;
}

/** Bytes of the wasm heap (it only grows, so after an iteration this is its high-water mark), or null off wasm. */
export function wasmHeapBytes(): number | null {
  const backend = tf.engine().registry['wasm'] as Partial<WasmBackendLike> | undefined;
  return tf.getBackend() === 'wasm' && backend?.wasm ? backend.wasm.HEAPU8.buffer.byteLength : null;
}

/** How many data buffers the wasm backend holds (kernel intermediates included, which tf.memory() never sees). */
export function wasmDataIds(): number {
  const backend = tf.engine().registry['wasm'];
  if (!backend) throw new Error('the wasm backend is not initialised');
  return backend.numDataIds();
}

const stock = new Map<string, tf.KernelConfig | null>();

/**
 * Registers `kernelFunc` as the wasm kernel `kernelName` in place of the stock one (remembered, see stockWasmKernel),
 * keeping the stock setup and dispose functions: the setup binds the wasm functions that our fallbacks to the stock
 * kernel still call. A kernel the stock backend lacks is simply added.
 */
export function replaceWasmKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  assertTfjsVersion();
  const previous = tf.getKernel(kernelName, 'wasm');
  if (!stock.has(kernelName)) stock.set(kernelName, previous ?? null);
  if (previous) tf.unregisterKernel(kernelName, 'wasm');
  const original = stock.get(kernelName);
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc,
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original?.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  });
}

/** The stock wasm kernel replaceWasmKernel replaced; null for one the stock backend lacks or that was never replaced. */
export function stockWasmKernel(kernelName: string): tf.KernelConfig | null {
  return stock.get(kernelName) ?? null;
}
