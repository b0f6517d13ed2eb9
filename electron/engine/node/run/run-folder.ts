import { appendFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import type { SampleGridPlan } from '../../core/model/sample-grid';
import { defaultSampleGrid, SampleGridPlanSchema } from '../../core/model/sample-grid';
import type { TrainerState } from '../../core/train/trainer';
import type { DataFingerprint, DataSource } from '../data/fingerprint';
import { writeFileAtomic } from '../fs-atomic';
import type { SkippedCheckpoint } from './checkpoints';
import {
  completeCheckpointsIn,
  readCheckpointNearIn,
  readLatestCheckpointIn,
  setAsideCheckpoint,
  writeCheckpointIn,
} from './checkpoints';

export { checkpointName } from './checkpoints';

/**
 * A run is a folder: run.json (document, seed, backend, versions, data), metrics.jsonl (one line per logged step),
 * samples/ (PNG grids), checkpoints/ (see checkpoints.ts), run.log (notices: skipped images and checkpoints, how it
 * ended) and run.lock while a process trains it (see run-lock.ts). Every file is written atomically, so a run killed
 * at any moment leaves only whole files behind.
 */
export interface RunInfo {
  format: 'sagan-studio/run';
  version: 1;
  id: string;
  createdAt: string;
  doc: GraphDocument;
  seed: number;
  backend: { name: string; reason: string; threads: number };
  versions: Record<string, string>;
  dataset: {
    name: string;
    size: number;
    /** The data it trains on, resolved (absent in runs written before it was kept here: the document's then). */
    source?: DataSource;
    /** What that data was when the run started; a resume on different data is refused. */
    fingerprint?: DataFingerprint;
    /** Image files that could not be read, left out of the data. */
    skipped?: { count: number; examples: { file: string; reason: string }[] };
    /** One name per class, the sample grid's rows (empty when unconditional; absent in runs from before it was kept). */
    classNames?: string[];
  };
  /** The sample grid's layout and noise seed (runs written before it was kept here get the plan they had used). */
  sampleGrid: SampleGridPlan;
  /** The data trained on when it was not the document's own: "mnist" or a folder path. */
  dataSource?: string;
}

export const runPaths = (dir: string) => ({
  info: join(dir, 'run.json'),
  metrics: join(dir, 'metrics.jsonl'),
  samples: join(dir, 'samples'),
  checkpoints: join(dir, 'checkpoints'),
  status: join(dir, 'status.json'),
  log: join(dir, 'run.log'),
  lock: join(dir, 'run.lock'),
});

export async function createRunFolder(dir: string, info: RunInfo): Promise<void> {
  const p = runPaths(dir);
  await mkdir(p.samples, { recursive: true });
  await mkdir(p.checkpoints, { recursive: true });
  await writeFileAtomic(p.info, `${JSON.stringify(info, null, 2)}\n`);
}

export async function readRunInfo(dir: string): Promise<RunInfo> {
  const text = await readFile(runPaths(dir).info, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new Error(
      e.code === 'ENOENT'
        ? `${dir} is not a SAGAN Studio run: it has no run.json.`
        : `Cannot read ${runPaths(dir).info}: ${e.message}`,
    );
  });
  const info = JSON.parse(text) as Omit<RunInfo, 'sampleGrid'> & { sampleGrid?: unknown };
  if (info.format !== 'sagan-studio/run') throw new Error(`${runPaths(dir).info} is not a SAGAN Studio run file.`);
  if (info.sampleGrid === undefined) return { ...info, sampleGrid: defaultSampleGrid(info.doc) };
  const grid = SampleGridPlanSchema.safeParse(info.sampleGrid);
  if (!grid.success)
    throw new Error(
      `${runPaths(dir).info} has an unusable sampleGrid (${grid.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); restore the file from a backup or delete that entry.`,
    );
  return { ...info, sampleGrid: grid.data };
}

/** Whether `dir` holds a run (its run.json exists), without reading it. */
export async function isRunFolder(dir: string): Promise<boolean> {
  return stat(runPaths(dir).info).then(
    () => true,
    () => false,
  );
}

/** One JSON line per logged step; a torn last line from a crash is ignored by readMetrics. */
export async function appendMetrics(dir: string, line: Record<string, unknown>): Promise<void> {
  await appendFile(runPaths(dir).metrics, `${JSON.stringify(line)}\n`);
}

export async function readMetrics(dir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(runPaths(dir).metrics, 'utf8').catch(() => '');
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut off by a crash
    }
  }
  return out;
}

/**
 * Cuts metrics.jsonl back to `step` (a resumed run logs the steps after it again, and no step may appear twice).
 * The lines cut (and any torn by a crash) are kept in a file beside it; returns it and how many, or null.
 */
export async function truncateMetrics(dir: string, step: number): Promise<{ file: string; lines: number } | null> {
  const path = runPaths(dir).metrics;
  const text = await readFile(path, 'utf8').catch(() => '');
  const kept: string[] = [];
  const cut: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let logged: unknown;
    try {
      logged = (JSON.parse(line) as { step?: unknown }).step;
    } catch {
      logged = undefined; // a line torn by a crash
    }
    (typeof logged === 'number' && logged <= step ? kept : cut).push(`${line}\n`);
  }
  if (cut.length === 0) return null;
  const file = join(dir, `metrics.cut-after-step-${step}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  await writeFileAtomic(file, cut.join(''));
  await writeFileAtomic(path, kept.join(''));
  return { file, lines: cut.length };
}

/**
 * Appends a timestamped line to the run's log (run.log), the record of what happened beyond the metrics.
 * Synchronous, so the line is on disk before the thread can be ended; a log that cannot be written stops nothing.
 */
export function appendRunLog(dir: string, level: 'info' | 'warning' | 'error', message: string): void {
  try {
    appendFileSync(runPaths(dir).log, `${new Date().toISOString()} ${level}: ${message.replace(/[\r\n]+/g, ' ')}\n`);
  } catch {
    // no folder (yet), or a full disk: the message still reaches the user through the event stream
  }
}

/** Writes a checkpoint of the run (see checkpoints.ts); returns its path without extension. */
export const writeCheckpoint = (dir: string, state: TrainerState, keep = 3): Promise<string> =>
  writeCheckpointIn(runPaths(dir).checkpoints, state, keep);

/** Steps of the run's complete checkpoints, oldest first (complete is not checked for damage; resume does that). */
export const completeCheckpoints = (dir: string): Promise<number[]> => completeCheckpointsIn(runPaths(dir).checkpoints);

/** The run's checkpoint for the sample grid at `step` (see readCheckpointNearIn): at or before it where one is kept. */
export const readCheckpointNear = (dir: string, step: number) => readCheckpointNearIn(runPaths(dir).checkpoints, step);

/** The run's newest intact checkpoint (see readLatestCheckpointIn: throws when there are some but none is intact). */
export const readLatestCheckpoint = (
  dir: string,
): Promise<{ state: TrainerState; path: string; skipped: SkippedCheckpoint[] } | null> =>
  readLatestCheckpointIn(runPaths(dir).checkpoints);

/**
 * Where a resumed run continues: its newest intact checkpoint (or step 0 when it has none), damaged newer ones set
 * aside, and metrics.jsonl cut back to that step. `notices` say what was skipped or cut and why, for the user.
 */
export async function resumePoint(
  dir: string,
): Promise<{ state: TrainerState | null; path: string | null; notices: string[] }> {
  const latest = await readLatestCheckpoint(dir);
  const notices: string[] = [];
  for (const skipped of latest?.skipped ?? []) {
    await setAsideCheckpoint(skipped);
    notices.push(
      `Skipped the checkpoint at step ${skipped.step}: ${skipped.reason}. Its files were renamed to *.damaged; resuming from step ${latest!.state.step}.`,
    );
  }
  const step = latest?.state.step ?? 0;
  const cut = await truncateMetrics(dir, step);
  if (cut)
    notices.push(
      `metrics.jsonl had ${cut.lines} line${cut.lines === 1 ? '' : 's'} after step ${step}, from before the resume; moved to ${cut.file} so that no step appears twice.`,
    );
  return { state: latest?.state ?? null, path: latest?.path ?? null, notices };
}
