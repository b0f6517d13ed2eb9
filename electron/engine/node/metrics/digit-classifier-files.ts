import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { DigitClassifier } from '../../core/metrics/digit-classifier';
import {
  buildDigitClassifier,
  classifierWeights,
  DIGIT_CLASSIFIER,
  setClassifierWeights,
} from '../../core/metrics/digit-classifier';
import type { DigitSet } from '../../core/metrics/digit-classifier-training';
import { loadMnist } from '../data/mnist';
import { readTensorBundle, writeTensorBundle } from '../tensor-bundle';

/** The shipped weights (a tensor bundle: .json manifest + .bin), written by scripts/train-digit-classifier.ts. */
export const DIGIT_CLASSIFIER_WEIGHTS = fileURLToPath(
  new URL('./digit-classifier-v1.weights.json', import.meta.url),
).replace(/\.json$/, '');

/** What the weight file's meta records about how the weights were made. */
export interface DigitClassifierMeta {
  seed: number;
  heldOut: number;
  heldOutAccuracy: number;
  epochs: number;
  decayEpoch: number;
  batchSize: number;
  learningRate: number;
  maxShift: number;
  backend: string;
}

/** The built-in MNIST as the classifier reads it: 32×32 grey in [-1,1], labels 0–9 (10,000 digits). */
export async function mnistDigitSet(): Promise<DigitSet> {
  const ds = await loadMnist({ size: DIGIT_CLASSIFIER.size });
  const pixels = DIGIT_CLASSIFIER.size * DIGIT_CLASSIFIER.size;
  const images = new Float32Array(ds.size * pixels);
  for (let i = 0; i < ds.size; i++) ds.copyImage(i, images, i * pixels);
  return { images, labels: ds.labels };
}

export async function writeDigitClassifier(c: DigitClassifier, path: string, meta: DigitClassifierMeta) {
  const tensors = new Map(
    [...classifierWeights(c)].map(([name, t]) => [
      name,
      { dtype: 'float32' as const, shape: [...t.shape], data: t.dataSync() as Float32Array },
    ]),
  );
  const written = await writeTensorBundle(path, tensors, { network: DIGIT_CLASSIFIER.id, ...meta });
  if (!written.ok) throw new Error(written.error);
}

let loaded: Promise<{ classifier: DigitClassifier; meta: DigitClassifierMeta }> | null = null;

/** The shipped classifier with its weights, built once per process (call after the backend is chosen). */
export function loadDigitClassifier(path = DIGIT_CLASSIFIER_WEIGHTS) {
  if (path !== DIGIT_CLASSIFIER_WEIGHTS) return readClassifier(path);
  loaded ??= readClassifier(path).catch((e: unknown) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

async function readClassifier(path: string) {
  const bundle = await readTensorBundle(path);
  if (!bundle.ok)
    throw new Error(`The digit classifier's weights cannot be read (${bundle.error}); reinstall SAGAN Studio.`);
  const classifier = buildDigitClassifier();
  try {
    setClassifierWeights(
      classifier,
      new Map([...bundle.value.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data as Float32Array }])),
    );
  } catch (e) {
    classifier.dispose();
    throw e;
  }
  return { classifier, meta: bundle.value.meta as unknown as DigitClassifierMeta, backend: tf.getBackend() };
}
