import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../../electron/engine/node/backend';
import type { FeatureNetworkKind, QualityReport } from '../../electron/engine/node/metrics/evaluate';
import { defaultCacheDir, featureNetworkFor, QualityEvaluator } from '../../electron/engine/node/metrics/evaluate';
import { openSavedGenerator } from '../../electron/engine/node/metrics/saved-generator';
import { openDataset } from '../../electron/engine/node/run/training-data';
import type { CliIO } from '../io';
import { UsageError } from '../io';

export const metricsUsage =
  'sagan-studio metrics RUN_OR_EXPORT [--checkpoint STEP] [--n 10000] [--data mnist|DIR] [--network auto|digit-classifier|inception] [--inception-weights FILE] [--seed S] [--cache DIR] [--json]';

/** Measures a run's checkpoint or an export: FD/FID, KID and, for digits, class accuracy and score. */
export async function metricsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string' },
      n: { type: 'string', default: '10000' },
      data: { type: 'string' },
      network: { type: 'string', default: 'auto' },
      'inception-weights': { type: 'string' },
      seed: { type: 'string' },
      cache: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('Give one run folder or export folder.');
  const n = Number(values.n);
  if (!Number.isInteger(n) || n < 2 || n > 200_000)
    throw new UsageError('--n must be a whole number from 2 to 200000.');
  const step = values.checkpoint === undefined ? undefined : Number(values.checkpoint);
  if (step !== undefined && !(Number.isInteger(step) && step >= 0))
    throw new UsageError('--checkpoint must be a step number ≥ 0.');
  if (!['auto', 'digit-classifier', 'inception'].includes(values.network!))
    throw new UsageError('--network must be auto, digit-classifier or inception.');
  await selectBackend({ requested: 'auto' });
  const dir = resolve(positionals[0]!);
  const saved = await openSavedGenerator(dir, step);
  try {
    const doc = saved.doc;
    const data = values.data ?? saved.info?.dataSource;
    const kind: FeatureNetworkKind =
      values.network === 'auto' ? featureNetworkFor(doc.dataset) : (values.network as FeatureNetworkKind);
    const dataset = await openDataset(doc, data, values.cache ?? defaultCacheDir());
    const progress = (done: number, total: number) => {
      if (!values.json && (done === total || done % 2000 === 0))
        io.err(`Reference statistics of ${dataset.name} (once, then cached): ${done}/${total} images`);
    };
    const evaluator = await QualityEvaluator.open(dataset, kind, {
      cacheDir: values.cache ?? defaultCacheDir(),
      onProgress: progress,
      ...(values['inception-weights'] ? { inceptionWeights: resolve(values['inception-weights']) } : {}),
    });
    try {
      const seed = values.seed === undefined ? doc.training.seed + 3 : Number(values.seed);
      const report = await saved.use((g) => evaluator.evaluate(g, n, seed));
      const result = {
        target: dir,
        kind: saved.kind,
        step: saved.step,
        ema: saved.usesEma,
        dataset: dataset.name,
        ...report,
      };
      io.out(values.json ? JSON.stringify(result) : formatReport(result));
    } finally {
      evaluator.dispose();
    }
  } finally {
    saved.dispose();
  }
  return 0;
}

export function formatReport(r: QualityReport & { target: string; step: number; ema: boolean; dataset: string }) {
  const lines = [
    `${r.target} at step ${r.step}${r.ema ? ' (EMA weights)' : ''}: ${r.samples} samples against ${r.dataset}`,
    `  ${r.names.fd}: ${r.fd.toFixed(3)}`,
    `  ${r.names.kid}: ${r.kid.toFixed(5)} ± ${r.kidStd.toFixed(5)}`,
  ];
  if (r.accuracy !== null) lines.push(`  class accuracy (digit classifier): ${(100 * r.accuracy).toFixed(1)}%`);
  if (r.score !== null) lines.push(`  classifier score (IS-style, digit classifier): ${r.score.toFixed(3)}`);
  lines.push(`  ${r.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
