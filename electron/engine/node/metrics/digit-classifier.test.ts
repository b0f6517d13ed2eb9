import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDigitClassifier, DIGIT_CLASSIFIER, toClassifierInput } from '../../core/metrics/digit-classifier';
import {
  classifierAccuracy,
  DIGIT_CLASSIFIER_RECIPE,
  splitDigits,
  trainDigitClassifier,
} from '../../core/metrics/digit-classifier-training';
import { selectBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { loadDigitClassifier, mnistDigitSet } from './digit-classifier-files';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
});

describe('the shipped digit classifier', () => {
  it('recognises at least 98% of the 2,000 held-out digits, as its weight file records', async () => {
    const { classifier, meta } = await loadDigitClassifier();
    const set = await mnistDigitSet();
    const { test, train } = splitDigits(
      set.labels.length,
      DIGIT_CLASSIFIER_RECIPE.heldOut,
      DIGIT_CLASSIFIER_RECIPE.seed,
    );
    expect(test.length).toBe(2000);
    expect(new Set([...test, ...train]).size).toBe(10_000); // a split, no digit on both sides
    const accuracy = classifierAccuracy(classifier, set, test);
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    expect(Math.abs(accuracy - meta.heldOutAccuracy)).toBeLessThanOrEqual(0.001);
    expect(meta).toMatchObject(DIGIT_CLASSIFIER_RECIPE);
  });

  it('gives 128 features and 10 probabilities per image', async () => {
    const { classifier } = await loadDigitClassifier();
    const before = tf.memory().numTensors;
    const [features, probs] = tf.tidy(() => classifier.model.predict(tf.zeros([3, 32, 32, 1])) as tf.Tensor[]);
    expect(features!.shape).toEqual([3, DIGIT_CLASSIFIER.featureDim]);
    expect(probs!.shape).toEqual([3, 10]);
    expect(tf.tidy(() => tf.sum(probs!, 1).arraySync())).toEqual([
      expect.closeTo(1, 5),
      expect.closeTo(1, 5),
      expect.closeTo(1, 5),
    ]);
    tf.dispose([features!, probs!]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('toClassifierInput', () => {
  it('frames 28–31 px digits exactly as the MNIST loader frames them at 32 px', async () => {
    const at32 = await loadMnist({ size: 32 });
    for (const size of [28, 29, 30, 31]) {
      const ds = await loadMnist({ size });
      const small = new Float32Array(size * size * 3);
      const big = new Float32Array(32 * 32 * 3);
      for (let k = 0; k < 3; k++) {
        ds.copyImage(k * 1000, small, k * size * size);
        at32.copyImage(k * 1000, big, k * 32 * 32);
      }
      const framed = tf.tidy(() => toClassifierInput(tf.tensor4d(small, [3, size, size, 1])).dataSync());
      expect(Array.from(framed)).toEqual(Array.from(big));
    }
  });

  it('resizes other sizes to 32×32 and averages colour to grey', () => {
    const out = tf.tidy(() => toClassifierInput(tf.ones([2, 64, 64, 3]).mul(0.5) as tf.Tensor4D));
    expect(out.shape).toEqual([2, 32, 32, 1]);
    expect(Math.abs(out.dataSync()[100]! - 0.5)).toBeLessThan(1e-6);
    out.dispose();
  });
});

describe('trainDigitClassifier', () => {
  it('is reproducible: the same seed gives the same weights', async () => {
    const set = await mnistDigitSet();
    const indices = Int32Array.from({ length: 256 }, (_, i) => i * 37);
    const run = () => {
      const c = buildDigitClassifier(3);
      trainDigitClassifier(c, set, indices, { ...DIGIT_CLASSIFIER_RECIPE, seed: 3, maxSteps: 2, batchSize: 16 });
      const w = c.model.getLayer('features').getWeights()[0]!.dataSync().slice();
      c.dispose();
      return w;
    };
    const a = run();
    const b = run();
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const fresh = buildDigitClassifier(3);
    const untrained = fresh.model.getLayer('features').getWeights()[0]!.dataSync();
    expect(Buffer.from(untrained.buffer).equals(Buffer.from(a.buffer))).toBe(false); // training moved them
    fresh.dispose();
  });
});
