import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphDocument, NetworkName, SweepNetworks } from '../../../../graph-schemas';
import { attentionNodes, attentionVariant, networksOf, validateGraph } from '../../../../graph-schemas';
import type { TrainEvent } from '../../core/train/events';
import { writeFileAtomic } from '../fs-atomic';
import type { StoppedEvent, TrainingHandle } from '../run/engine-client';
import type { TrainJob } from '../run/protocol';
import { completeCheckpoints, readMetrics } from '../run/run-folder';
import type { SweepRow } from './sweep-table';
import { sweepCsv, sweepMarkdown } from './sweep-table';

/** What a sweep folder was started with (sweep.json); a resume must ask for the same. */
export interface SweepPlan {
  format: 'sagan-studio/sweep';
  version: 1;
  doc: GraphDocument;
  placements: number[];
  network: SweepNetworks;
  data: string | null;
  samples: number;
}

/** How a sweep is getting on: one variant's phase (its training events go to `onTrainEvent`). */
export type SweepProgress =
  | { phase: 'opened'; resumed: boolean; total: number }
  | { phase: 'training'; variant: string; index: number; total: number; resumed: boolean; placement: string }
  | { phase: 'measuring'; variant: string; index: number; total: number }
  | { phase: 'measured'; variant: string; index: number; total: number; row: SweepRow; earlier: boolean };

export interface SweepOptions {
  /** The graph with its training settings (steps, batch, seed) as every variant trains them. */
  doc: GraphDocument;
  placements: number[];
  network: SweepNetworks;
  /** Which attention node to move in a network that has more than one. */
  nodeIds?: Partial<Record<NetworkName, string>>;
  /** A data folder, or null for the document's own data. */
  data: string | null;
  /** Images generated for each variant's measurement. */
  samples: number;
  /** The sweep folder (one run folder per variant, sweep.json, results.json, table.md, table.csv). */
  out: string;
  cacheDir: string;
  backend: TrainJob['backend'];
  threads?: number;
  /** Starts one variant's run: the engine's worker thread (the CLI) or the host's training engine. */
  start(job: TrainJob, onEvent: (e: TrainEvent) => void): TrainingHandle;
  onProgress?(p: SweepProgress): void;
  onTrainEvent?(variant: string, e: TrainEvent): void;
  /** Called with each variant's handle while it trains (to stop it); null once it has stopped. */
  onHandle?(handle: TrainingHandle | null): void;
  /**
   * Measures a trained variant whose run did not measure its last step on `samples` images (see measure-variant.ts);
   * without it such a variant fails the sweep. `measureDone` frees what it opened.
   */
  measure?(runDir: string): Promise<VariantQuality>;
  measureDone?(): Promise<void> | void;
  /** Asked before each variant starts training: true ends the sweep there. */
  stopRequested?(): boolean;
}

/** A variant's measurement as the table needs it. */
export type VariantQuality = Omit<LoggedQuality, 'samples'>;

export type SweepOutcome =
  | { ok: true; rows: SweepRow[]; markdown: string; resumed: boolean }
  /** Refused before anything trained (a variant that cannot be made, a folder holding another sweep). */
  | { ok: false; refused: string[] }
  /** A variant's run did not finish (stopped, diverged or failed): run the same sweep again to resume. */
  | { ok: false; stopped: StoppedEvent; variant: string }
  /** Stopped between variants (`stopRequested`): `variant` is the next one, not started. */
  | { ok: false; halted: true; variant: string };

export const sweepTitle = (doc: GraphDocument) => `Attention placement sweep: ${doc.name}`;

/**
 * Trains one variant per attention placement (same graph otherwise, same seed, data and steps), one after another,
 * measures each at its last step and writes table.md and table.csv in the sweep folder. Running it again with the
 * same options resumes: finished variants are kept, an interrupted one resumes from its newest checkpoint.
 */
export async function runSweep(o: SweepOptions): Promise<SweepOutcome> {
  const { doc, network, samples, out } = o;
  // Every variant is checked before the first one trains.
  const variants = o.placements.map((k) => ({
    k,
    name: `feat${k}`,
    made: attentionVariant(doc, k, network, o.nodeIds),
  }));
  const bad = variants.flatMap((v) => (v.made.ok ? [] : [`${v.name}: ${v.made.error}`]));
  if (bad.length) return { ok: false, refused: bad };
  const plan: SweepPlan = {
    format: 'sagan-studio/sweep',
    version: 1,
    doc,
    placements: o.placements,
    network,
    data: o.data,
    samples,
  };
  const planFile = join(out, 'sweep.json');
  const earlier = await readFile(planFile, 'utf8').then(
    (t) => JSON.parse(t) as SweepPlan,
    () => null,
  );
  if (earlier && JSON.stringify(earlier) !== JSON.stringify(plan))
    return {
      ok: false,
      refused: [
        `${out} holds a sweep started with other settings (graph, placements, network, steps, batch, seed, data or samples); choose another folder, or the same settings to resume it.`,
      ],
    };
  await mkdir(out, { recursive: true });
  if (!earlier) await writeFileAtomic(planFile, `${JSON.stringify(plan, null, 1)}\n`);
  o.onProgress?.({ phase: 'opened', resumed: earlier !== null, total: variants.length });

  const resultsFile = join(out, 'results.json');
  const results: Record<string, SweepRow> = await readFile(resultsFile, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, SweepRow>,
    () => ({}),
  );
  const about = `${doc.name}, attention moved in ${network === 'both' ? 'G and D' : network}: ${doc.training.steps} steps at batch ${doc.training.batchSize}, seed ${doc.training.seed}, data ${o.data ?? doc.dataset.source.kind}; each measured at its last step on ${samples} generated images (EMA weights when kept).`;
  const writeTables = async () => {
    const rows = variants.map((v) => results[v.name]).filter((r): r is SweepRow => r !== undefined);
    const markdown = sweepMarkdown(sweepTitle(doc), about, rows);
    await writeFileAtomic(join(out, 'table.md'), markdown);
    await writeFileAtomic(join(out, 'table.csv'), sweepCsv(rows));
    return { rows, markdown };
  };

  try {
    for (const [index, v] of variants.entries()) {
      if (!v.made.ok) continue;
      const total = variants.length;
      const runDir = join(out, v.name);
      const known = results[v.name];
      if (known) {
        o.onProgress?.({ phase: 'measured', variant: v.name, index, total, row: known, earlier: true });
        continue;
      }
      const variantDoc = v.made.value;
      const placement = describePlacement(variantDoc, network);
      const done = (await completeCheckpoints(runDir).catch(() => [] as number[])).includes(doc.training.steps);
      if (!done) {
        if (o.stopRequested?.()) return { ok: false, halted: true, variant: v.name };
        const resume = existsSync(join(runDir, 'run.json'));
        o.onProgress?.({ phase: 'training', variant: v.name, index, total, resumed: resume, placement });
        const job: TrainJob = {
          doc: variantDoc,
          runDir,
          runId: v.name,
          resume,
          backend: o.backend,
          cacheDir: o.cacheDir,
          ...(o.threads ? { threads: o.threads } : {}),
          ...(o.data ? { data: o.data } : {}),
        };
        const handle = o.start(job, (e) => o.onTrainEvent?.(v.name, e));
        o.onHandle?.(handle);
        let stopped: StoppedEvent;
        try {
          stopped = await handle.done;
        } finally {
          o.onHandle?.(null);
          await handle.terminate();
        }
        if (stopped.reason !== 'finished') return { ok: false, stopped, variant: v.name };
      }
      o.onProgress?.({ phase: 'measuring', variant: v.name, index, total });
      const lines = await readMetrics(runDir);
      const trained = lines.find(
        (l) => l.step === doc.training.steps && isQuality(l.quality) && l.quality.samples === samples,
      );
      let quality: VariantQuality;
      if (trained && isQuality(trained.quality)) quality = trained.quality;
      else if (o.measure) quality = await o.measure(runDir);
      else
        throw new Error(
          `${v.name} has no quality measurement at step ${doc.training.steps} on ${samples} images in ${runDir}; measure it with \`sagan-studio metrics ${runDir}\` or run the sweep again from the command line.`,
        );
      const totals = validateGraph(variantDoc).totals;
      const row: SweepRow = {
        variant: v.name,
        placement,
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
      results[v.name] = row;
      await writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
      await writeTables();
      o.onProgress?.({ phase: 'measured', variant: v.name, index, total, row, earlier: false });
    }
  } finally {
    await o.measureDone?.();
  }
  const { rows, markdown } = await writeTables();
  return { ok: true, rows, markdown, resumed: earlier !== null };
}

/** The rows a sweep folder holds so far (results.json), in the order it asked for; [] when none yet. */
export async function readSweepRows(out: string): Promise<{ plan: SweepPlan | null; rows: SweepRow[] }> {
  const plan = await readFile(join(out, 'sweep.json'), 'utf8').then(
    (t) => JSON.parse(t) as SweepPlan,
    () => null,
  );
  const results = await readFile(join(out, 'results.json'), 'utf8').then(
    (t) => JSON.parse(t) as Record<string, SweepRow>,
    () => ({}) as Record<string, SweepRow>,
  );
  const order = plan ? plan.placements.map((k) => `feat${k}`) : Object.keys(results);
  return { plan, rows: order.map((n) => results[n]).filter((r): r is SweepRow => r !== undefined) };
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
export function describePlacement(doc: GraphDocument, which: SweepNetworks): string {
  return networksOf(which)
    .map((net: NetworkName) => {
      const id = attentionNodes(doc, net)[0]!;
      const input = doc[net].edges.find((e) => e.target === id)?.source ?? '?';
      return `${net === 'generator' ? 'G' : 'D'}: ${id} after ${input}`;
    })
    .join('; ');
}
