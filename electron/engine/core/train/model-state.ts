import * as tf from '@tensorflow/tfjs';
import type { CompiledGan } from '../compile/compiled-gan';
import type { Optimizers } from './step';

/** A named array, as checkpoints and the PyTorch bridge store them. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/**
 * Every weight of G and D (trainable, spectral-norm u, running statistics), keyed "generator/<originalName>".
 * originalName is stable across compiles of the same document (tfjs suffixes `name`, not originalName).
 */
export function readModelWeights(gan: CompiledGan): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [network, model] of [
    ['generator', gan.generator],
    ['discriminator', gan.discriminator],
  ] as const) {
    for (const w of model.weights) {
      out.set(`${network}/${w.originalName}`, {
        shape: [...w.shape] as number[],
        data: w.read().dataSync() as Float32Array,
      });
    }
  }
  return out;
}

/** Loads weights by name; every weight of the models must be present with its shape, or nothing is changed. */
export function writeModelWeights(gan: CompiledGan, weights: Map<string, NamedArray>): void {
  const assignments: [tf.LayerVariable, NamedArray][] = [];
  for (const [network, model] of [
    ['generator', gan.generator],
    ['discriminator', gan.discriminator],
  ] as const) {
    for (const w of model.weights) {
      const key = `${network}/${w.originalName}`;
      const value = weights.get(key);
      if (!value) throw new Error(`The checkpoint has no weight "${key}"; it was saved from a different graph.`);
      if (value.shape.join(',') !== w.shape.join(','))
        throw new Error(`Weight "${key}" has shape [${value.shape}] in the checkpoint but [${w.shape}] in the graph.`);
      assignments.push([w, value]);
    }
  }
  for (const [w, value] of assignments) w.write(tf.tensor(value.data, value.shape));
}

/** Adam's state (iterations and moments), positional in the order of the trainable weights. */
export async function readOptimizerState(optimizers: Optimizers): Promise<Map<string, NamedArray>> {
  const out = new Map<string, NamedArray>();
  for (const [network, opt] of [
    ['generator', optimizers.generator],
    ['discriminator', optimizers.discriminator],
  ] as const) {
    const weights = await opt.getWeights();
    weights.forEach((w, i) => {
      out.set(`optimizer/${network}/${String(i).padStart(4, '0')}`, {
        shape: [...w.tensor.shape],
        data: Float32Array.from(w.tensor.dataSync()),
      });
    });
  }
  return out;
}

export async function writeOptimizerState(optimizers: Optimizers, state: Map<string, NamedArray>): Promise<void> {
  for (const [network, opt] of [
    ['generator', optimizers.generator],
    ['discriminator', optimizers.discriminator],
  ] as const) {
    const prefix = `optimizer/${network}/`;
    const entries = [...state.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) continue; // saved before the first step
    await opt.setWeights(
      entries.map(([name, v], i) => ({ name: i === 0 ? 'iter' : name, tensor: tf.tensor(v.data, v.shape) })),
    );
  }
}
