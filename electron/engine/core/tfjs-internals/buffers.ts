import * as tf from '@tensorflow/tfjs';
import { assertTfjsVersion } from './version';

interface BufferBackend {
  move(dataId: object, values: unknown, shape: number[], dtype: tf.DataType, refCount: number): void;
  disposeData(dataId: object, force?: boolean): boolean;
}

export interface BufferEvents {
  /** A buffer of `bytes` was made for `dataId` (kernel outputs and scratch included). */
  allocated(dataId: object, bytes: number): void;
  /** The buffer of `dataId` was released (its last reference went). */
  freed(dataId: object): void;
}

/**
 * Reports every buffer the active backend makes and frees, by wrapping its `move` and `disposeData`: on wasm and cpu
 * every tensor's buffer, a kernel's scratch included, is made through `move`, and a buffer shared by several tensors
 * (reshape, clone) is made once. Returns the function that restores the backend, or null on a backend that allocates
 * elsewhere (the caller then falls back to tfjs' per-tensor count).
 */
export function observeBuffers(events: BufferEvents): (() => void) | null {
  assertTfjsVersion();
  const backend = tf.backend() as unknown as Partial<BufferBackend>;
  if (typeof backend.move !== 'function' || typeof backend.disposeData !== 'function') return null;
  const move = backend.move;
  const disposeData = backend.disposeData;
  const active = tf.getBackend();
  if (active !== 'wasm' && active !== 'cpu') return null; // others make kernel outputs without `move`
  backend.move = function (this: BufferBackend, dataId, values, shape, dtype, refCount) {
    move.call(this, dataId, values, shape, dtype, refCount);
    events.allocated(dataId, dtype === 'string' ? 0 : tf.util.sizeFromShape(shape) * tf.util.bytesPerElement(dtype));
  };
  backend.disposeData = function (this: BufferBackend, dataId, force) {
    const freed = disposeData.call(this, dataId, force);
    if (freed) events.freed(dataId);
    return freed;
  };
  return () => {
    backend.move = move;
    backend.disposeData = disposeData;
  };
}
