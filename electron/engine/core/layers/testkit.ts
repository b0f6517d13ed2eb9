import * as tf from '@tensorflow/tfjs';

/*
 * Helpers for this directory's tests (plain module so the test files stay short; no vitest import here).
 */

/** Saves a model to memory and loads it back through tfjs' own (de)serialisation. */
export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (artifacts === null) throw new Error('save handler was not called');
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** A one-layer functional model around `layer` with the given input shapes (labels: int32 [1]). */
export function wrap(
  layer: tf.layers.Layer,
  inputs: Array<{ shape: number[]; dtype?: 'float32' | 'int32' }>,
): tf.LayersModel {
  const symbolic = inputs.map((i, k) => tf.input({ shape: i.shape, dtype: i.dtype ?? 'float32', name: `in${k}` }));
  const out = layer.apply(symbolic.length === 1 ? symbolic[0] : symbolic) as tf.SymbolicTensor;
  return tf.model({ inputs: symbolic, outputs: out });
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function seededValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** Largest absolute difference between two tensors (shapes must match). */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shape mismatch [${a.shape}] vs [${b.shape}]`);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** The weight of a layer by its short name (`kernel`, `query/u`, ...). */
export function weightOf(layer: tf.layers.Layer, name: string): tf.LayerVariable {
  const w = layer.weights.find((v) => v.originalName === `${layer.name}/${name}`);
  if (!w)
    throw new Error(
      `layer ${layer.name} has no weight ${name}; has ${layer.weights.map((v) => v.originalName).join(', ')}`,
    );
  return w;
}
