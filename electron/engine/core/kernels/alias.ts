import type * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './wasm-ops';

/**
 * Identity (and Cast to the same dtype) without a copy: the output shares its input's buffer and adds one reference
 * to it, as the cpu backend does. The stock wasm kernels copy the whole tensor, and tfjs-core clones every tensor a
 * gradient saves (engine.saveTensorsForBackwardMode → Identity), so on wasm each saved activation existed twice
 * until the forward pass ended and every clone cost a full memcpy. tfjs tensors are immutable (variables swap
 * buffers rather than writing into them), so sharing is safe.
 */
export function aliasingIdentity(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x!;
  if (x.dtype === 'string')
    throw new Error('Identity on wasm: string tensors are not supported by the aliasing kernel.');
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Cast that shares the buffer when the dtype does not change; real conversions go to the stock kernel. */
export function makeAliasingCast(stock: tf.KernelFunc) {
  return function cast(args: KernelArgs): tf.TensorInfo {
    const x = args.inputs.x!;
    const dtype = (args.attrs as { dtype?: tf.DataType } | undefined)?.dtype;
    if (dtype === x.dtype && dtype !== 'string') return aliasingIdentity(args);
    return stock(args as never) as tf.TensorInfo;
  };
}
