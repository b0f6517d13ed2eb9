import * as tf from '@tensorflow/tfjs';
import { Xoshiro128 } from '../data/prng';
import type { DigitClassifier } from './digit-classifier';
import { DIGIT_CLASSIFIER } from './digit-classifier';
import { permutation } from './permutation';

/** Digits as the classifier reads them: [N,32,32,1] values in [-1,1], one label 0–9 each. */
export interface DigitSet {
  images: Float32Array;
  labels: Int32Array;
}

const PIXELS = DIGIT_CLASSIFIER.size * DIGIT_CLASSIFIER.size;

/** How the shipped weights were trained (scripts/train-digit-classifier.ts). */
export const DIGIT_CLASSIFIER_RECIPE = {
  seed: 0,
  heldOut: 2000,
  epochs: 12,
  decayEpoch: 8,
  batchSize: 64,
  learningRate: 1e-3,
  maxShift: 2,
} as const;

/** The held-out split: a permutation from `seed`, its first `heldOut` indices held out, the rest for training. */
export function splitDigits(count: number, heldOut: number, seed: number): { train: Int32Array; test: Int32Array } {
  const p = permutation(count, new Xoshiro128(seed));
  return { test: p.slice(0, heldOut), train: p.slice(heldOut) };
}

/** Copies image `index` shifted by (dx, dy) whole pixels into `out` at `offset`, filling with background −1. */
function copyShifted(src: Float32Array, index: number, dx: number, dy: number, out: Float32Array, offset: number) {
  const S = DIGIT_CLASSIFIER.size;
  out.fill(-1, offset, offset + PIXELS);
  for (let y = Math.max(0, dy); y < Math.min(S, S + dy); y++) {
    const from = index * PIXELS + (y - dy) * S;
    for (let x = Math.max(0, dx); x < Math.min(S, S + dx); x++) out[offset + y * S + x] = src[from + x - dx]!;
  }
}

export interface TrainOptions {
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** From this epoch on (0-based), Adam starts afresh at a tenth of the rate, to settle into a minimum. */
  decayEpoch: number;
  /** Random shifts of up to this many pixels each way (augmentation); 0 turns it off. */
  maxShift: number;
  /** Stop after this many steps (tests); default: all epochs. */
  maxSteps?: number;
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

/**
 * Trains the classifier on `set` at `indices` with Adam and softmax cross-entropy. Deterministic for a seed on
 * one backend: batch order and shifts come from xoshiro128**, the initial weights from the seeded initialisers.
 */
export function trainDigitClassifier(c: DigitClassifier, set: DigitSet, indices: Int32Array, o: TrainOptions) {
  const rng = new Xoshiro128(o.seed);
  let optimizer = tf.train.adam(o.learningRate);
  const batch = new Float32Array(o.batchSize * PIXELS);
  const labels = new Int32Array(o.batchSize);
  const vars = c.trainModel.trainableWeights.map((w) => w.read() as tf.Variable);
  let steps = 0;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      if (epoch === o.decayEpoch) {
        optimizer.dispose();
        optimizer = tf.train.adam(o.learningRate / 10);
      }
      const order = permutation(indices.length, rng);
      let sum = 0;
      let count = 0;
      for (let start = 0; start + o.batchSize <= order.length; start += o.batchSize) {
        if (o.maxSteps !== undefined && steps >= o.maxSteps) return;
        for (let b = 0; b < o.batchSize; b++) {
          const index = indices[order[start + b]!]!;
          const shift = () => Math.floor(rng.nextFloat() * (2 * o.maxShift + 1)) - o.maxShift;
          copyShifted(set.images, index, shift(), shift(), batch, b * PIXELS);
          labels[b] = set.labels[index]!;
        }
        const loss = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const x = tf.tensor4d(batch, [o.batchSize, DIGIT_CLASSIFIER.size, DIGIT_CLASSIFIER.size, 1]);
              const y = tf.oneHot(tf.tensor1d(labels, 'int32'), DIGIT_CLASSIFIER.classes);
              const logits = c.trainModel.apply(x, { training: true }) as tf.Tensor2D;
              return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
            }),
          true,
          vars,
        )!;
        sum += loss.dataSync()[0]!;
        loss.dispose();
        count++;
        steps++;
      }
      o.onEpoch?.(epoch, sum / Math.max(1, count));
    }
  } finally {
    optimizer.dispose();
  }
}

/** Fraction of `set` at `indices` whose most probable class is its label. */
export function classifierAccuracy(c: DigitClassifier, set: DigitSet, indices: Int32Array, batchSize = 500): number {
  let correct = 0;
  for (let start = 0; start < indices.length; start += batchSize) {
    const part = indices.subarray(start, start + batchSize);
    const x = new Float32Array(part.length * PIXELS);
    part.forEach((index, b) => x.set(set.images.subarray(index * PIXELS, (index + 1) * PIXELS), b * PIXELS));
    const predicted = tf.tidy(() => {
      const [, probs] = c.model.predict(
        tf.tensor4d(x, [part.length, DIGIT_CLASSIFIER.size, DIGIT_CLASSIFIER.size, 1]),
      ) as tf.Tensor[];
      return tf.argMax(probs!, 1);
    });
    const p = predicted.dataSync();
    predicted.dispose();
    part.forEach((index, b) => (correct += p[b] === set.labels[index] ? 1 : 0));
  }
  return correct / indices.length;
}
