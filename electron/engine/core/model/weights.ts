import * as tf from '@tensorflow/tfjs';
import type { CompiledGan } from '../compile/compiled-gan';

/** A named array, as checkpoints and the PyTorch bridge store them. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

const networks = (gan: CompiledGan) =>
  [
    ['generator', gan.generator],
    ['discriminator', gan.discriminator],
  ] as const;

/**
 * Reads tensors back from the backend, all requests in flight at once: on a GPU each read is a round trip, so they
 * are issued together and awaited once, never one `dataSync` after another.
 */
export async function readArrays(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const data = await Promise.all(tensors.map((t) => t.data<'float32'>()));
  return data.map((d) => (d instanceof Float32Array ? d : Float32Array.from(d)));
}

/**
 * Every weight of G and D (trainable, spectral-norm u, running statistics), keyed "generator/<originalName>".
 * originalName is stable across compiles of the same document (tfjs suffixes `name`, not originalName).
 */
export async function readModelWeights(gan: CompiledGan): Promise<Map<string, NamedArray>> {
  const entries = networks(gan).flatMap(([network, model]) =>
    model.weights.map((w) => ({ key: `${network}/${w.originalName}`, weight: w })),
  );
  const data = await readArrays(entries.map((e) => e.weight.read()));
  return new Map(entries.map((e, i) => [e.key, { shape: [...e.weight.shape] as number[], data: data[i]! }]));
}

/** Loads weights by name; every weight of the models must be present with its shape, or nothing is changed. */
export function writeModelWeights(gan: CompiledGan, weights: Map<string, NamedArray>): void {
  const assignments: [tf.LayerVariable, NamedArray][] = [];
  for (const [network, model] of networks(gan)) {
    for (const w of model.weights) {
      const key = `${network}/${w.originalName}`;
      const value = weights.get(key);
      if (!value) throw new Error(`The checkpoint has no weight "${key}"; it was saved from a different graph.`);
      if (value.shape.join(',') !== w.shape.join(','))
        throw new Error(`Weight "${key}" has shape [${value.shape}] in the checkpoint but [${w.shape}] in the graph.`);
      assignments.push([w, value]);
    }
  }
  for (const [w, value] of assignments) {
    const t = tf.tensor(value.data, value.shape);
    w.write(t); // the variable takes a reference to t's buffer; the handle itself is ours to free
    t.dispose();
  }
}
