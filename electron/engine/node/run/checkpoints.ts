import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainerState } from '../../core/train/trainer';
import { writeFileAtomic } from '../fs-atomic';
import { readTensorBundle, writeTensorBundle } from '../tensor-bundle';

/**
 * A checkpoint is three files in the run's checkpoints/ folder: step-N.weights.bin and .weights.json (a tensor
 * bundle: weights, Adam moments) and step-N.state.json (step, RNG and data-order state, and the size and SHA-256 of
 * both weights files). The state file is written last, so it marks a complete checkpoint, and its checksums tell an
 * intact one from one damaged on disk since.
 */
export const checkpointName = (step: number) => `step-${String(step).padStart(8, '0')}`;

const WEIGHT_FILES = ['.weights.bin', '.weights.json'] as const;

interface StateFile {
  step: number;
  rng: unknown;
  data: unknown;
  /** Size and SHA-256 of each weights file, by file name (absent in checkpoints written before checksums). */
  files?: Record<string, { bytes: number; sha256: string }>;
}

/** A checkpoint resume passed over, with why ("…: does not match its checksum"). */
export interface SkippedCheckpoint {
  step: number;
  files: string[];
  reason: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes a checkpoint (tensor bundle, then the state file with its checksums; each atomic) and prunes old ones. */
export async function writeCheckpointIn(checkpointsDir: string, state: TrainerState, keep = 3): Promise<string> {
  const name = checkpointName(state.step);
  const base = join(checkpointsDir, name);
  const tensors = new Map(
    [...state.tensors].map(([key, t]) => [key, { dtype: 'float32' as const, shape: t.shape, data: t.data }]),
  );
  const written = await writeTensorBundle(`${base}.weights`, tensors, { step: state.step });
  if (!written.ok) throw new Error(written.error);
  const files: StateFile['files'] = {};
  for (const ext of WEIGHT_FILES) {
    const bytes = await readFile(`${base}${ext}`);
    files[`${name}${ext}`] = { bytes: bytes.length, sha256: sha256(bytes) };
  }
  const record: StateFile = { step: state.step, rng: state.rng, data: state.data, files };
  await writeFileAtomic(`${base}.state.json`, `${JSON.stringify(record, null, 1)}\n`);
  await pruneCheckpoints(checkpointsDir, keep);
  return base;
}

/** Steps of the complete checkpoints (a state file marks one complete), oldest first. */
export async function completeCheckpointsIn(checkpointsDir: string): Promise<number[]> {
  const files = await readdir(checkpointsDir).catch(() => [] as string[]);
  return files
    .map((f) => /^step-(\d+)\.state\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

async function pruneCheckpoints(checkpointsDir: string, keep: number) {
  const steps = await completeCheckpointsIn(checkpointsDir);
  for (const step of steps.slice(0, Math.max(0, steps.length - keep))) {
    const base = join(checkpointsDir, checkpointName(step));
    await Promise.all(['.state.json', ...WEIGHT_FILES].map((ext) => rm(`${base}${ext}`, { force: true })));
  }
}

/** The checkpoint at `step` if its files are whole and match their checksums; else why not. */
async function readCheckpoint(
  checkpointsDir: string,
  step: number,
): Promise<{ ok: true; state: TrainerState } | { ok: false; reason: string }> {
  const name = checkpointName(step);
  const base = join(checkpointsDir, name);
  let record: StateFile;
  try {
    record = JSON.parse(await readFile(`${base}.state.json`, 'utf8')) as StateFile;
    if (typeof record !== 'object' || record === null || record.step !== step)
      return { ok: false, reason: `${name}.state.json does not describe step ${step}` };
  } catch (e) {
    return { ok: false, reason: `${name}.state.json is unreadable or not valid JSON (${(e as Error).message})` };
  }
  for (const [file, expected] of Object.entries(record.files ?? {})) {
    const bytes = await readFile(join(checkpointsDir, file)).catch(() => null);
    if (!bytes) return { ok: false, reason: `${file} is missing` };
    if (bytes.length !== expected.bytes || sha256(bytes) !== expected.sha256)
      return {
        ok: false,
        reason: `${file} does not match its checksum (${bytes.length} bytes, ${expected.bytes} written): it was damaged on disk`,
      };
  }
  const bundle = await readTensorBundle(`${base}.weights`);
  if (!bundle.ok) return { ok: false, reason: bundle.error };
  const tensors = new Map(
    [...bundle.value.tensors].map(([key, t]) => [key, { shape: t.shape, data: t.data as Float32Array }]),
  );
  return { ok: true, state: { step: record.step, rng: record.rng, data: record.data, tensors } };
}

/**
 * The newest intact checkpoint, with the newer ones it passed over and why; null when the run has none. When
 * checkpoints exist but none is intact it throws, naming every file and its fault: resuming must never quietly
 * start again from step 0.
 */
export async function readLatestCheckpointIn(
  checkpointsDir: string,
): Promise<{ state: TrainerState; path: string; skipped: SkippedCheckpoint[] } | null> {
  const steps = await completeCheckpointsIn(checkpointsDir);
  const skipped: SkippedCheckpoint[] = [];
  for (const step of [...steps].reverse()) {
    const read = await readCheckpoint(checkpointsDir, step);
    const base = join(checkpointsDir, checkpointName(step));
    if (read.ok) return { state: read.state, path: base, skipped };
    skipped.push({ step, files: ['.state.json', ...WEIGHT_FILES].map((e) => `${base}${e}`), reason: read.reason });
  }
  if (skipped.length === 0) return null;
  throw new Error(
    `None of the ${skipped.length} checkpoint${skipped.length === 1 ? '' : 's'} in ${checkpointsDir} is intact, so the run cannot resume: ${skipped.map((s) => `step ${s.step}: ${s.reason}`).join('; ')}. Nothing was changed; restore the checkpoints from a backup, or start a new run.`,
  );
}

/**
 * The checkpoint that explains the sample grid of `step`: the newest intact one at or before it, else (the older
 * ones pruned) the oldest intact one after it; null when the run has no intact checkpoint. A checkpoint pruned or
 * damaged while it is read is passed over for the next nearest.
 */
export async function readCheckpointNearIn(
  checkpointsDir: string,
  step: number,
): Promise<{ state: TrainerState; path: string } | null> {
  const steps = await completeCheckpointsIn(checkpointsDir);
  const nearest = [...steps.filter((s) => s <= step).reverse(), ...steps.filter((s) => s > step)];
  for (const s of nearest) {
    const read = await readCheckpoint(checkpointsDir, s);
    if (read.ok) return { state: read.state, path: join(checkpointsDir, checkpointName(s)) };
  }
  return null;
}

/**
 * Moves a damaged checkpoint's files aside (`….damaged`), kept for a person to look at, so that it is no longer taken
 * for the newest checkpoint and a new checkpoint at its step can be written.
 */
export async function setAsideCheckpoint(skipped: SkippedCheckpoint): Promise<void> {
  for (const file of skipped.files) await rename(file, `${file}.damaged`).catch(() => undefined);
}
