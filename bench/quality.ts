// `npm run bench -- quality [--preset sagan-mnist] [--batch B] [--steps 10] [--samples N] [--every N] [--threads 2]`
// What measuring quality during training costs: times --steps training iterations of the preset (after one warm-up)
// and one measurement as the training worker takes it (N generated samples, FD/KID/accuracy against the MNIST
// reference statistics, which are computed once beforehand and cached), and prints the share of the time the
// measurements take at one every --every steps (the document's metricsEvery; the budget: under 10%).
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findPreset } from '../graph-schemas';
import { GanModel } from '../electron/engine/core/model/gan-model';
import { seededRandom, shuffledBatches } from '../electron/engine/core/train/random';
import { GanTrainer } from '../electron/engine/core/train/trainer';
import { selectBackend } from '../electron/engine/node/backend';
import { loadMnist } from '../electron/engine/node/data/mnist';
import { QualityEvaluator } from '../electron/engine/node/metrics/evaluate';
import { modelGenerator } from '../electron/engine/node/metrics/saved-generator';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'sagan-mnist' },
    batch: { type: 'string' },
    steps: { type: 'string', default: '10' },
    samples: { type: 'string' },
    every: { type: 'string' },
    threads: { type: 'string', default: '2' },
  },
});
const doc = findPreset(values.preset!)?.build();
if (!doc) throw new Error(`Unknown preset ${values.preset}.`);
if (doc.dataset.source.kind !== 'mnist') throw new Error('This benchmark measures presets that train on MNIST.');
if (values.batch) doc.training.batchSize = Number(values.batch);
const samples = Number(values.samples ?? doc.training.metricsSamples);
const every = Number(values.every ?? doc.training.metricsEvery);
const backend = await selectBackend({ requested: 'auto', threads: Number(values.threads) });
const dataset = await loadMnist({ size: doc.dataset.imageSize });
const model = GanModel.compile(doc);
const trainer = new GanTrainer(model, shuffledBatches(dataset, 0), seededRandom(1));
const cacheDir = mkdtempSync(join(tmpdir(), 'sagan-bench-quality-'));

let t = performance.now();
const evaluator = await QualityEvaluator.open(dataset, 'digit-classifier', { cacheDir });
console.log(
  `Reference statistics of MNIST (${dataset.size} digits, once per dataset, then cached): ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
await trainer.iterate();
t = performance.now();
const steps = Number(values.steps);
for (let i = 0; i < steps; i++) await trainer.iterate();
const perStep = (performance.now() - t) / 1000 / steps;
const report = await model.withSamplingWeights(() => evaluator.evaluate(modelGenerator(model), samples, 3));
const share = report.seconds / (report.seconds + every * perStep);
console.log(
  `${doc.name} at batch ${doc.training.batchSize} on ${backend.name} (${backend.reason}); load average ${loadavg()[0]!.toFixed(2)}`,
);
console.log(`  training: ${perStep.toFixed(2)} s per step (${steps} steps)`);
console.log(
  `  one measurement: ${report.seconds.toFixed(1)} s for ${samples} samples (${report.names.fd} ${report.fd.toFixed(2)}, class accuracy ${((report.accuracy ?? 0) * 100).toFixed(1)}%)`,
);
console.log(
  `  every ${every} steps: ${(100 * share).toFixed(1)}% of the time (${(every * perStep).toFixed(0)} s training per ${report.seconds.toFixed(0)} s measuring)${share < 0.1 ? ', under 10%' : ', OVER the 10% budget'}`,
);
evaluator.dispose();
trainer.dispose();
model.dispose();
