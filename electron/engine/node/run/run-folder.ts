import { appendFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import type { SampleGridPlan } from '../../core/model/sample-grid';
import { defaultSampleGrid, SampleGridPlanSchema } from '../../core/model/sample-grid';
import type { TrainerState } from '../../core/train/trainer';
import { writeFileAtomic } from '../fs-atomic';
import { readTensorBundle, writeTensorBundle } from '../tensor-bundle';

/**
 * A run is a folder: run.json (document, seed, backend, versions), metrics.jsonl (one line per logged step),
 * samples/ (PNG grids), checkpoints/ (weights, optimizer state, step, RNG state). Every file is written
 * atomically, so a run killed at any moment leaves only whole files behind.
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
  dataset: { name: string; size: number };
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

/** Drops metric lines past `step` (after resuming from an earlier checkpoint, they will be logged again). */
export async function truncateMetrics(dir: string, step: number): Promise<void> {
  const kept = (await readMetrics(dir)).filter((m) => typeof m.step === 'number' && m.step <= step);
  await writeFileAtomic(runPaths(dir).metrics, kept.map((m) => `${JSON.stringify(m)}\n`).join(''));
}

export const checkpointName = (step: number) => `step-${String(step).padStart(8, '0')}`;

/** Writes a checkpoint (tensor bundle + state JSON, each atomic; the JSON last, so it marks a complete one). */
export async function writeCheckpoint(dir: string, state: TrainerState, keep = 3): Promise<string> {
  const base = join(runPaths(dir).checkpoints, checkpointName(state.step));
  const tensors = new Map(
    [...state.tensors].map(([name, t]) => [name, { dtype: 'float32' as const, shape: t.shape, data: t.data }]),
  );
  const written = await writeTensorBundle(`${base}.weights`, tensors, { step: state.step });
  if (!written.ok) throw new Error(written.error);
  await writeFileAtomic(
    `${base}.state.json`,
    `${JSON.stringify({ step: state.step, rng: state.rng, data: state.data }, null, 1)}\n`,
  );
  await pruneCheckpoints(dir, keep);
  return base;
}

/** Steps of the run's complete checkpoints (a state file marks one complete), oldest first. */
export async function completeCheckpoints(dir: string): Promise<number[]> {
  const files = await readdir(runPaths(dir).checkpoints).catch(() => [] as string[]);
  return files
    .map((f) => /^step-(\d+)\.state\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

async function pruneCheckpoints(dir: string, keep: number) {
  const steps = await completeCheckpoints(dir);
  for (const step of steps.slice(0, Math.max(0, steps.length - keep))) {
    const base = join(runPaths(dir).checkpoints, checkpointName(step));
    await Promise.all(
      ['.state.json', '.weights.json', '.weights.bin'].map((ext) => rm(`${base}${ext}`, { force: true })),
    );
  }
}

/** The newest complete checkpoint, or null when the run has none yet. */
export async function readLatestCheckpoint(dir: string): Promise<{ state: TrainerState; path: string } | null> {
  const steps = await completeCheckpoints(dir);
  for (const step of steps.reverse()) {
    const base = join(runPaths(dir).checkpoints, checkpointName(step));
    const bundle = await readTensorBundle(`${base}.weights`);
    if (!bundle.ok) continue; // damaged: fall back to the one before
    const meta = JSON.parse(await readFile(`${base}.state.json`, 'utf8')) as {
      step: number;
      rng: unknown;
      data: unknown;
    };
    const tensors = new Map(
      [...bundle.value.tensors].map(([name, t]) => [name, { shape: t.shape, data: t.data as Float32Array }]),
    );
    return { state: { step: meta.step, rng: meta.rng, data: meta.data, tensors }, path: base };
  }
  return null;
}
