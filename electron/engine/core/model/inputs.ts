import * as tf from '@tensorflow/tfjs';
import type { CompiledGan } from '../compile/compiled-gan';

/** The label input as the compiled models take it: int32 [B, 1]. */
export function labelTensor(labels: Int32Array): tf.Tensor2D {
  return tf.tensor2d(labels, [labels.length, 1], 'int32');
}

export function generatorInputs(gan: CompiledGan, z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor[] {
  return gan.generatorTakesLabel && labels ? [z, labels] : [z];
}

export function discriminatorInputs(gan: CompiledGan, images: tf.Tensor, labels: tf.Tensor2D | null): tf.Tensor[] {
  return gan.discriminatorTakesLabel && labels ? [images, labels] : [images];
}
