import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../model/weights';
import { readArrays } from '../model/weights';
import type { Optimizers } from './step';

const each = (optimizers: Optimizers) =>
  [
    ['generator', optimizers.generator],
    ['discriminator', optimizers.discriminator],
  ] as const;

/** Adam's state (iterations and moments), positional in the order of the trainable weights; one batched read. */
export async function readOptimizerState(optimizers: Optimizers): Promise<Map<string, NamedArray>> {
  const out = new Map<string, NamedArray>();
  for (const [network, opt] of each(optimizers)) {
    const weights = await opt.getWeights();
    try {
      const data = await readArrays(weights.map((w) => w.tensor));
      weights.forEach((w, i) => {
        out.set(`optimizer/${network}/${String(i).padStart(4, '0')}`, { shape: [...w.tensor.shape], data: data[i]! });
      });
    } finally {
      weights[0]?.tensor.dispose(); // the iteration count, a scalar made for us; the moments are Adam's own
    }
  }
  return out;
}

export async function writeOptimizerState(optimizers: Optimizers, state: Map<string, NamedArray>): Promise<void> {
  for (const [network, opt] of each(optimizers)) {
    const prefix = `optimizer/${network}/`;
    const entries = [...state.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) continue; // saved before the first step
    const tensors = entries.map(([name, v], i) => ({
      name: i === 0 ? 'iter' : name,
      tensor: tf.tensor(v.data, v.shape),
    }));
    try {
      await opt.setWeights(tensors);
    } finally {
      tf.dispose(tensors.map((t) => t.tensor)); // Adam's variables hold their own references to the buffers
    }
  }
}
