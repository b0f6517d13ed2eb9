import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDocument, NetworkName, SweepNetworks } from '../../graph-schemas';
import {
  attentionNodes,
  attentionVariant,
  findPreset,
  networksOf,
  parseResolution,
  validateGraph,
} from '../../graph-schemas';
import { selectBackend } from '../../electron/engine/node/backend';
import { writeFileAtomic } from '../../electron/engine/node/fs-atomic';
import { defaultCacheDir, featureNetworkFor, QualityEvaluator } from '../../electron/engine/node/metrics/evaluate';
import { openSavedGenerator } from '../../electron/engine/node/metrics/saved-generator';
import { startTraining } from '../../electron/engine/node/run/engine-client';
import type { TrainJob } from '../../electron/engine/node/run/protocol';
import { qualitySeed } from '../../electron/engine/node/run/quality-monitor';
import { completeCheckpoints, readMetrics } from '../../electron/engine/node/run/run-folder';
import { openDataset } from '../../electron/engine/node/run/training-data';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { documentSource, loadDocument } from '../load-document';
import { progressPrinter } from '../progress';
import type { SweepRow } from './sweep-table';
import { sweepCsv, sweepMarkdown } from './sweep-table';

export const sweepUsage =
  'sagan-studio sweep GRAPH|--preset NAME --attention-at feat8,feat16,feat32 [--network G|D|both] [--steps N] [--batch B] [--data mnist|DIR] [--out DIR] [--seed S] [--n SAMPLES] [--cache DIR] [--backend auto|tensorflow|wasm|cpu] [--threads N]';

/** What a sweep folder was started with (sweep.json); a resume must ask for the same. */
interface SweepPlan {
  format: 'sagan-studio/sweep';
  version: 1;
  doc: GraphDocument;
  placements: number[];
  network: SweepNetworks;
  data: string | null;
  samples: number;
}

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
  // Every variant is checked before the first one trains.
  const variants = placements.map((k) => ({ k, name: `feat${k}`, made: attentionVariant(doc, k, network) }));
  const bad = variants.filter((v) => !v.made.ok);
  if (bad.length) {
    for (const v of bad) if (!v.made.ok) io.err(`${v.name}: ${v.made.error}`);
    return 1;
  }
  const slug =
    doc.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'graph';
  const out = resolve(values.out ?? `sweeps/${slug}-attention-${placements.map((k) => `feat${k}`).join('-')}`);
  const plan: SweepPlan = {
    format: 'sagan-studio/sweep',
    version: 1,
    doc,
    placements,
    network,
    data: values.data ?? null,
    samples,
  };
  const planFile = join(out, 'sweep.json');
  const earlier = await readFile(planFile, 'utf8').then(
    (t) => JSON.parse(t) as SweepPlan,
    () => null,
  );
  if (earlier && JSON.stringify(earlier) !== JSON.stringify(plan)) {
    io.err(
      `${out} holds a sweep started with other settings (graph, placements, network, steps, batch, seed, data or --n); give another --out, or the same arguments to resume it.`,
    );
    return 1;
  }
  await mkdir(out, { recursive: true });
  if (!earlier) await writeFileAtomic(planFile, `${JSON.stringify(plan, null, 1)}\n`);
  else io.out(`Resuming the sweep in ${out}.`);

  const cacheDir = values.cache ? resolve(values.cache) : defaultCacheDir();
  const threads = int('threads', values.threads);
  const resultsFile = join(out, 'results.json');
  const results: Record<string, SweepRow> = await readFile(resultsFile, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, SweepRow>,
    () => ({}),
  );
  const about = `${doc.name}, attention moved in ${network === 'both' ? 'G and D' : network}: ${doc.training.steps} steps at batch ${doc.training.batchSize}, seed ${doc.training.seed}, data ${values.data ?? doc.dataset.source.kind}; each measured at its last step on ${samples} generated images (EMA weights when kept).`;
  const writeTables = async () => {
    const rows = variants.map((v) => results[v.name]).filter((r): r is SweepRow => r !== undefined);
    await writeFileAtomic(join(out, 'table.md'), sweepMarkdown(`Attention placement sweep: ${doc.name}`, about, rows));
    await writeFileAtomic(join(out, 'table.csv'), sweepCsv(rows));
    return rows;
  };

  let evaluator: QualityEvaluator | null = null;
  try {
    for (const v of variants) {
      if (!v.made.ok) continue;
      const runDir = join(out, v.name);
      if (results[v.name]) {
        io.out(`${v.name}: done in an earlier run of this sweep.`);
        continue;
      }
      const variantDoc = v.made.value;
      const done = (await completeCheckpoints(runDir).catch(() => [] as number[])).includes(doc.training.steps);
      if (!done) {
        const resume = existsSync(join(runDir, 'run.json'));
        io.out(`${v.name}: ${resume ? 'resuming' : 'training'} (${describePlacement(variantDoc, network)})`);
        const job: TrainJob = {
          doc: variantDoc,
          runDir,
          runId: v.name,
          resume,
          backend,
          cacheDir,
          ...(threads ? { threads } : {}),
          ...(values.data ? { data: values.data } : {}),
        };
        const code = await train(job, io);
        if (code !== 0) return code;
      }
      const lines = await readMetrics(runDir);
      const trained = lines.find(
        (l) => l.step === doc.training.steps && isQuality(l.quality) && l.quality.samples === samples,
      );
      let quality: {
        names: SweepRow['names'];
        fd: number;
        kid: number;
        kidStd: number;
        accuracy: number | null;
        ema: boolean;
      };
      if (trained && isQuality(trained.quality)) quality = trained.quality;
      else {
        await selectBackend({ requested: backend, ...(threads ? { threads } : {}) });
        evaluator ??= await QualityEvaluator.open(
          await openDataset(doc, values.data, cacheDir),
          featureNetworkFor(doc.dataset),
          {
            cacheDir,
            onProgress: (d, total) => {
              if (d === 0) io.err(`Reference statistics of the data (${total} images; once, then cached)…`);
            },
          },
        );
        const saved = await openSavedGenerator(runDir, doc.training.steps);
        try {
          const e = evaluator;
          const report = await saved.use((g) => e.evaluate(g, samples, qualitySeed(doc)));
          quality = { ...report, ema: saved.usesEma };
        } finally {
          saved.dispose();
        }
      }
      const totals = validateGraph(variantDoc).totals;
      results[v.name] = {
        variant: v.name,
        placement: describePlacement(variantDoc, network),
        step: doc.training.steps,
        samples,
        ema: quality.ema,
        names: quality.names,
        fd: quality.fd,
        kid: quality.kid,
        kidStd: quality.kidStd,
        accuracy: quality.accuracy,
        itPerSec: iterationsPerSecond(lines),
        generatorParams: totals.generatorParams,
        discriminatorParams: totals.discriminatorParams,
      };
      await writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
      await writeTables();
      const r = results[v.name]!;
      io.out(
        `${v.name}: ${r.names.fd} ${r.fd.toFixed(2)}, ${r.names.kid} ${r.kid.toFixed(4)}${r.accuracy === null ? '' : `, class accuracy ${(100 * r.accuracy).toFixed(1)}%`}`,
      );
    }
  } finally {
    evaluator?.dispose();
  }
  const rows = await writeTables();
  io.out('');
  io.out(sweepMarkdown(`Attention placement sweep: ${doc.name}`, about, rows).trim());
  io.out('');
  io.out(`Tables: ${join(out, 'table.md')} and ${join(out, 'table.csv')}`);
  return 0;
}

async function train(job: TrainJob, io: CliIO): Promise<number> {
  const handle = startTraining(job, progressPrinter(io, 50));
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err('\nStopping after this step and writing a checkpoint; run the same sweep again to resume…');
      handle.stop();
    } else void handle.terminate().then(() => process.exit(130));
  };
  process.on('SIGINT', onSigint);
  try {
    const stopped = await handle.done;
    return stopped.reason === 'finished' ? 0 : stopped.reason === 'stopped' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    await handle.terminate();
  }
}

type LoggedQuality = {
  names: SweepRow['names'];
  fd: number;
  kid: number;
  kidStd: number;
  accuracy: number | null;
  ema: boolean;
  samples: number;
};
const isQuality = (q: unknown): q is LoggedQuality =>
  typeof q === 'object' && q !== null && typeof (q as LoggedQuality).fd === 'number';

/** Median it/s over the logged steps, the first (warm-up) left out when there are others. */
function iterationsPerSecond(lines: Record<string, unknown>[]): number | null {
  const ms = lines
    .filter((l) => typeof l.msPerIt === 'number' && (l.msPerIt as number) > 0)
    .map((l) => l.msPerIt as number);
  const timed = ms.length > 1 ? ms.slice(1) : ms;
  if (!timed.length) return null;
  const sorted = [...timed].sort((a, b) => a - b);
  return 1000 / sorted[Math.floor(sorted.length / 2)]!;
}

/** "G: g_attention after g_up1; D: d_attention after d_block2". */
function describePlacement(doc: GraphDocument, which: SweepNetworks): string {
  return networksOf(which)
    .map((net: NetworkName) => {
      const id = attentionNodes(doc, net)[0]!;
      const input = doc[net].edges.find((e) => e.target === id)?.source ?? '?';
      return `${net === 'generator' ? 'G' : 'D'}: ${id} after ${input}`;
    })
    .join('; ');
}
