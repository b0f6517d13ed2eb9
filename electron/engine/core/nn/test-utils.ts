import * as tf from '@tensorflow/tfjs';

/** Saves a model to memory and loads it back, as export does through model.json + weights. */
export async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Deterministic pseudo-random input in [-1, 1]. */
export function randomInput(shape: number[], seed = 1): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

export function labels(values: number[]): tf.Tensor2D {
  return tf.tensor2d(values, [values.length, 1], 'int32');
}
