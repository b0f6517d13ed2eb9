import * as tf from '@tensorflow/tfjs';

/**
 * Label convention, shared by every label-taking layer (ConditionalBatchNorm, SNEmbedding, ProjectionHead)
 * and by the compiled models: one int32 class index per sample, model input shape [1] (so a batch is
 * [B, 1]). Layers also accept a flat [B]; both are flattened to [B] inside. Float labels are cast
 * to int32 (truncating), so a caller that passes floats by mistake still gets the right rows.
 */
export const LABEL_INPUT_SHAPE: [number] = [1];
export const LABEL_DTYPE = 'int32' as const;

/** A model input for class labels following the convention above. */
export function labelInput(name = 'labels'): tf.SymbolicTensor {
  return tf.input({ shape: LABEL_INPUT_SHAPE, dtype: LABEL_DTYPE, name });
}

/** Labels [B] or [B, 1] as an int32 [B] index vector. */
export function flattenLabels(labels: tf.Tensor, layerName: string): tf.Tensor1D {
  const ok = labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1);
  if (!ok) {
    throw new Error(
      `Layer "${layerName}" takes class labels of shape [B] or [B, 1] (one class index per sample), got [${labels.shape.join(', ')}].`,
    );
  }
  const flat = labels.reshape([-1]) as tf.Tensor1D;
  return flat.dtype === 'int32' ? flat : (flat.cast('int32') as tf.Tensor1D);
}
