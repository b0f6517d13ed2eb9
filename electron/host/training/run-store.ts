import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { QualityPoint, RunMetrics, RunStatus, RunSummary } from '../../../graph-schemas';
import { ApiError, QualityPointSchema } from '../../../graph-schemas';
import { writeFileAtomic } from '../../engine/node/fs-atomic';
import type { RunInfo } from '../../engine/node/run/run-folder';
import { describeOwner, runLockHolder } from '../../engine/node/run/run-lock';
import { completeCheckpoints, isRunFolder, readMetrics, readRunInfo, runPaths } from '../../engine/node/run/run-folder';

/** What the host keeps beside the engine's files: the run's state as the UI last saw it. */
export interface RunStatusFile {
  status: RunStatus;
  step: number;
  totalSteps: number;
  message: string;
  docPath: string | null;
  updatedAt: string;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A run id that sorts by start time and says what was trained: `sagan-mnist-20261126-213055-a1b2`. */
export function newRunId(name: string, now: Date, random: () => number = Math.random): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'run';
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-${stamp}-${Math.floor(random() * 0xffff)
    .toString(16)
    .padStart(4, '0')}`;
}

/** The runs folder: one engine run folder per run id. Ids are checked here too, so no path escapes it. */
export class RunStore {
  constructor(readonly runsDir: string) {}

  dir(runId: string): string {
    if (!RUN_ID.test(runId) || runId.includes('..')) throw new ApiError('bad-request', `"${runId}" is not a run id.`);
    return join(this.runsDir, runId);
  }

  async ids(): Promise<string[]> {
    const entries = await readdir(this.runsDir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [];
      throw e;
    });
    return entries.filter((e) => e.isDirectory() && RUN_ID.test(e.name)).map((e) => e.name);
  }

  async info(runId: string): Promise<RunInfo> {
    const dir = this.dir(runId);
    try {
      return await readRunInfo(dir);
    } catch (e) {
      const exists = await stat(dir).then(
        () => true,
        () => false,
      );
      throw new ApiError('not-found', exists ? (e as Error).message : `There is no run "${runId}" in ${this.runsDir}.`);
    }
  }

  async readStatus(runId: string): Promise<RunStatusFile | null> {
    const text = await readFile(runPaths(this.dir(runId)).status, 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      return JSON.parse(text) as RunStatusFile;
    } catch {
      return null; // torn by a crash mid-write cannot happen (atomic), but a hand-edited file can be anything
    }
  }

  async writeStatus(runId: string, status: RunStatusFile): Promise<void> {
    await writeFileAtomic(runPaths(this.dir(runId)).status, `${JSON.stringify(status, null, 1)}\n`);
  }

  checkpointSteps(runId: string): Promise<number[]> {
    return completeCheckpoints(this.dir(runId));
  }

  async sampleSteps(runId: string): Promise<number[]> {
    const files = await readdir(runPaths(this.dir(runId)).samples).catch(() => [] as string[]);
    return files
      .map((f) => /^step-(\d+)\.png$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }

  samplePath(runId: string, step: number): string {
    return join(runPaths(this.dir(runId)).samples, `step-${String(step).padStart(8, '0')}.png`);
  }

  async metrics(runId: string): Promise<Record<string, unknown>[]> {
    return readMetrics(this.dir(runId));
  }

  /**
   * The run as the list shows it. A status file that still says running/paused while no process trains it
   * means the app was closed or crashed mid-run: the run is shown as stopped, resumable from its checkpoint.
   */
  async summary(runId: string, live: boolean): Promise<RunSummary> {
    const [info, status, checkpoints, metrics] = await Promise.all([
      this.info(runId),
      this.readStatus(runId),
      this.checkpointSteps(runId),
      this.metrics(runId),
    ]);
    const losses = metrics.filter((l) => !isQualityLine(l));
    const last = losses[losses.length - 1];
    const quality = qualityPoints(metrics);
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const checkpointStep = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1]! : null;
    // A run the CLI trained has no status file: its checkpoints say how far it got.
    let state: RunStatus =
      status?.status ?? (checkpointStep !== null && checkpointStep >= info.doc.training.steps ? 'finished' : 'stopped');
    let message = status?.message ?? '';
    if (!live && (state === 'running' || state === 'paused')) {
      state = 'stopped';
      message =
        checkpoints.length > 0
          ? `Interrupted; resume from step ${checkpoints[checkpoints.length - 1]}.`
          : 'Interrupted before its first checkpoint.';
    }
    return {
      id: runId,
      name: info.doc.name,
      docPath: status?.docPath ?? null,
      status: state,
      step: Math.max(status?.step ?? 0, last ? num(last.step) : 0),
      totalSteps: status?.totalSteps ?? info.doc.training.steps,
      backend: info.backend.name,
      createdAt: info.createdAt,
      lastLosses: last
        ? {
            lossD: num(last.lossD),
            lossDReal: num(last.lossDReal),
            lossDFake: num(last.lossDFake),
            lossG: num(last.lossG),
          }
        : null,
      checkpointStep,
      message,
      dir: this.dir(runId),
      quality: quality.length > 0 ? { latest: quality[quality.length - 1]!, best: bestQuality(quality)! } : null,
    };
  }

  /** Whether the run's folder holds a run yet (the engine writes run.json first, before anything else of it). */
  has(runId: string): Promise<boolean> {
    return isRunFolder(this.dir(runId));
  }

  /** Deletes a run; refused while a process (this app's or a CLI's) trains it. */
  async remove(runId: string): Promise<boolean> {
    const dir = this.dir(runId);
    const holder = runLockHolder(dir);
    if (holder)
      throw new ApiError(
        'conflict',
        `Run ${runId} is being trained (${describeOwner(holder)}); stop it before deleting it.`,
      );
    if (!(await this.has(runId))) return false;
    await rm(dir, { recursive: true, force: true });
    return true;
  }
}

/**
 * The class names of a run, one per sample-grid row: kept in run.json since they were; for older runs, MNIST's
 * digits, and null (rows unlabelled) for an older folder run or an unconditional one.
 */
export function runClassNames(info: Pick<RunInfo, 'doc' | 'dataset'>): string[] | null {
  const kept = info.dataset.classNames;
  if (kept) return kept.length ? kept : null;
  const source = info.dataset.source ?? info.doc.dataset.source;
  return source.kind === 'mnist' && info.doc.dataset.classes > 0
    ? Array.from({ length: info.doc.dataset.classes }, (_, i) => String(i))
    : null;
}

/** Metric lines as columns, thinned to at most maxPoints rows by taking every k-th line (the last always kept). */
export function metricColumns(all: Record<string, unknown>[], maxPoints: number): RunMetrics {
  const lines = all.filter((l) => !isQualityLine(l));
  const stride = Math.max(1, Math.ceil(lines.length / maxPoints));
  const picked = lines.filter((_, i) => i % stride === 0 || i === lines.length - 1);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const gammaKeys = new Map<
    string,
    { nodeId: string; network: 'generator' | 'discriminator'; values: (number | null)[] }
  >();
  picked.forEach((line, row) => {
    const gammas = Array.isArray(line.gammas)
      ? (line.gammas as { nodeId: string; network: 'generator' | 'discriminator'; gamma: number }[])
      : [];
    for (const g of gammas) {
      const key = `${g.network}/${g.nodeId}`;
      let series = gammaKeys.get(key);
      if (!series)
        gammaKeys.set(
          key,
          (series = { nodeId: g.nodeId, network: g.network, values: new Array<number | null>(row).fill(null) }),
        );
      series.values[row] = num(g.gamma);
    }
  });
  for (const s of gammaKeys.values()) while (s.values.length < picked.length) s.values.push(null);
  return {
    step: picked.map((l) => num(l.step) ?? 0),
    lossDReal: picked.map((l) => num(l.lossDReal)),
    lossDFake: picked.map((l) => num(l.lossDFake)),
    lossG: picked.map((l) => num(l.lossG)),
    itPerSec: picked.map((l) => (typeof l.msPerIt === 'number' && l.msPerIt > 0 ? 1000 / l.msPerIt : null)),
    wallMs: picked.map((l) => num(l.wallMs)),
    gammas: [...gammaKeys.values()],
    quality: qualityPoints(all),
  };
}

/** metrics.jsonl holds loss lines and, every `metricsEvery` steps, `{ step, quality }` lines. */
const isQualityLine = (l: Record<string, unknown>) => typeof l.quality === 'object' && l.quality !== null;

/** The run's quality measurements (lines that do not parse as one are left out), in step order. */
export function qualityPoints(lines: Record<string, unknown>[]): QualityPoint[] {
  const out: QualityPoint[] = [];
  for (const l of lines) {
    if (!isQualityLine(l)) continue;
    const parsed = QualityPointSchema.safeParse({ ...(l.quality as object), step: l.step });
    if (parsed.success) out.push(parsed.data);
  }
  return out.sort((a, b) => a.step - b.step);
}

/** The measurement with the lowest FD/FID (lower is better), or null. */
export function bestQuality(points: QualityPoint[]): QualityPoint | null {
  return points.reduce<QualityPoint | null>((best, p) => (best === null || p.fd < best.fd ? p : best), null);
}
