import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDocument } from '../../graph-schemas';
import { findPreset, parseResolution } from '../../graph-schemas';
import { defaultCacheDir } from '../../electron/engine/node/metrics/evaluate';
import type { TrainingHandle } from '../../electron/engine/node/run/engine-client';
import { startTraining } from '../../electron/engine/node/run/engine-client';
import type { TrainJob } from '../../electron/engine/node/run/protocol';
import type { SweepOutcome } from '../../electron/engine/node/sweep/sweep-runner';
import { runSweep } from '../../electron/engine/node/sweep/sweep-runner';
import { variantMeasurer } from '../../electron/engine/node/sweep/measure-variant';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { documentSource, loadDocument } from '../load-document';
import { progressPrinter } from '../progress';

export const sweepUsage =
  'sagan-studio sweep GRAPH|--preset NAME --attention-at feat8,feat16,feat32 [--network G|D|both] [--steps N] [--batch B] [--data mnist|DIR] [--out DIR] [--seed S] [--n SAMPLES] [--cache DIR] [--backend auto|tensorflow|wasm|cpu] [--threads N]';

const int = (name: string, v: string | undefined, min = 1) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got "${v}").`);
  return n;
};

/**
 * Trains one variant per attention placement (same graph otherwise, same seed, data and steps), one after another,
 * measures each at its last step and writes table.md and table.csv in the sweep folder. Run again with the same
 * arguments to resume: finished variants are kept, an interrupted one resumes from its newest checkpoint.
 */
export async function sweepCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      'attention-at': { type: 'string' },
      network: { type: 'string', default: 'both' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      n: { type: 'string' },
      cache: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      threads: { type: 'string' },
    },
  });
  const at = values['attention-at'];
  if (!at) throw new UsageError('Say where to put attention: --attention-at feat8,feat16,feat32.');
  const placements = at.split(',').map((p) => {
    const k = parseResolution(p);
    if (k === null) throw new UsageError(`--attention-at takes feature-map sizes like feat16 (got "${p}").`);
    return k;
  });
  if (new Set(placements).size !== placements.length) throw new UsageError('--attention-at names a placement twice.');
  const network = values.network === 'g' ? 'G' : values.network === 'd' ? 'D' : values.network;
  if (network !== 'G' && network !== 'D' && network !== 'both')
    throw new UsageError(`--network must be G, D or both (got "${values.network}").`);
  const backend = values.backend as TrainJob['backend'];
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend))
    throw new UsageError(`--backend must be auto, tensorflow, wasm or cpu (got "${backend}").`);

  const source =
    values.preset === undefined &&
    positionals.length === 1 &&
    !existsSync(positionals[0]!) &&
    findPreset(positionals[0]!)
      ? { preset: positionals[0]! }
      : documentSource(positionals, values.preset);
  const loaded = await loadDocument(source);
  if (!loaded.ok) {
    io.err(loaded.message);
    return 1;
  }
  const steps = int('steps', values.steps);
  const batch = int('batch', values.batch);
  const seed = int('seed', values.seed, 0);
  const doc: GraphDocument = {
    ...loaded.doc,
    training: {
      ...loaded.doc.training,
      ...(steps ? { steps } : {}),
      ...(batch ? { batchSize: batch } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
  const samples = int('n', values.n, 2) ?? doc.training.metricsSamples;
  const slug =
    doc.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'graph';
  const out = resolve(values.out ?? `sweeps/${slug}-attention-${placements.map((k) => `feat${k}`).join('-')}`);
  const cacheDir = values.cache ? resolve(values.cache) : defaultCacheDir();
  const threads = int('threads', values.threads);
  let handle: TrainingHandle | null = null;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (!handle) process.exit(130);
    else if (interrupts === 1) {
      io.err('\nStopping after this step and writing a checkpoint; run the same sweep again to resume…');
      handle.stop();
    } else void handle.terminate().then(() => process.exit(130));
  };
  const printer = progressPrinter(io, 50);
  process.on('SIGINT', onSigint);
  const measurer = variantMeasurer({
    doc,
    data: values.data ?? null,
    samples,
    cacheDir,
    backend,
    ...(threads ? { threads } : {}),
    onReference: (total) => io.err(`Reference statistics of the data (${total} images; once, then cached)…`),
  });
  let outcome: SweepOutcome;
  try {
    outcome = await runSweep({
      measure: (runDir) => measurer.measure(runDir),
      measureDone: () => measurer.measureDone(),
      doc,
      placements,
      network,
      data: values.data ?? null,
      samples,
      out,
      cacheDir,
      backend,
      ...(threads ? { threads } : {}),
      start: startTraining,
      onHandle: (h) => (handle = h),
      onTrainEvent: (_variant, e) => printer(e),
      onProgress: (p) => {
        if (p.phase === 'opened') {
          if (p.resumed) io.out(`Resuming the sweep in ${out}.`);
        } else if (p.phase === 'training') {
          io.out(`${p.variant}: ${p.resumed ? 'resuming' : 'training'} (${p.placement})`);
        } else if (p.phase === 'measured') {
          const r = p.row;
          io.out(
            p.earlier
              ? `${p.variant}: done in an earlier run of this sweep.`
              : `${p.variant}: ${r.names.fd} ${r.fd.toFixed(2)}, ${r.names.kid} ${r.kid.toFixed(4)}${r.accuracy === null ? '' : `, class accuracy ${(100 * r.accuracy).toFixed(1)}%`}`,
          );
        }
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (!outcome.ok) {
    if ('refused' in outcome) {
      for (const line of outcome.refused) io.err(line);
      return 1;
    }
    if ('halted' in outcome) return 130;
    return outcome.stopped.reason === 'stopped' ? 130 : 1;
  }
  io.out('');
  io.out(outcome.markdown.trim());
  io.out('');
  io.out(`Tables: ${join(out, 'table.md')} and ${join(out, 'table.csv')}`);
  return 0;
}
