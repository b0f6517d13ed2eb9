import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphDocument } from '../../graph-schemas';
import { BackendRequestSchema } from '../../graph-schemas/api/training-contract';
import { startTraining } from '../../electron/engine/node/run/engine-client';
import { readRunInfo } from '../../electron/engine/node/run/run-folder';
import type { TrainJob } from '../../electron/engine/node/run/protocol';
import { RunFolderError } from '../../electron/engine/node/run/run-lock';
import type { CliIO } from '../io';
import { UsageError } from '../io';
import { documentSource, loadDocument } from '../load-document';
import { progressPrinter } from '../progress';

export const trainUsage =
  'sagan-studio train FILE|--preset NAME [--data mnist|DIR] [--steps N] [--batch B] [--out DIR] [--seed S] [--backend auto|webgpu|tensorflow|wasm|cpu] [--threads N] | --resume RUN_DIR [--steps N]';

const int = (name: string, v: string | undefined, min = 1) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got "${v}").`);
  return n;
};

export async function trainCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      data: { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      threads: { type: 'string' },
      resume: { type: 'string' },
    },
  });
  const backend = values.backend as TrainJob['backend'];
  if (!BackendRequestSchema.options.includes(backend))
    throw new UsageError(`--backend must be one of ${BackendRequestSchema.options.join(', ')} (got "${backend}").`);
  let doc: GraphDocument;
  let runDir: string;
  if (values.resume) {
    if (positionals.length || values.preset)
      throw new UsageError('--resume takes the run folder; the graph comes from its run.json.');
    runDir = resolve(values.resume);
    try {
      doc = (await readRunInfo(runDir)).doc;
    } catch (e) {
      io.err((e as Error).message);
      return 1;
    }
  } else {
    const loaded = await loadDocument(documentSource(positionals, values.preset));
    if (!loaded.ok) {
      io.err(loaded.message);
      return 1;
    }
    doc = loaded.doc;
    const slug =
      doc.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'run';
    runDir = resolve(values.out ?? `runs/${slug}-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`);
  }
  const steps = int('steps', values.steps);
  const batch = int('batch', values.batch);
  const seed = int('seed', values.seed, 0);
  doc = {
    ...doc,
    training: {
      ...doc.training,
      ...(steps ? { steps } : {}),
      ...(batch ? { batchSize: batch } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
  const threads = int('threads', values.threads);
  const job: TrainJob = {
    doc,
    runDir,
    runId: runDir.split(/[\\/]/).pop()!,
    resume: Boolean(values.resume),
    backend,
    ...(threads ? { threads } : {}),
    ...(values.data ? { data: values.data } : {}),
  };
  let handle;
  try {
    handle = startTraining(job, progressPrinter(io));
  } catch (e) {
    if (!(e instanceof RunFolderError)) throw e;
    io.err(e.message);
    return 1;
  }
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err('\nStopping after this step and writing a checkpoint (Ctrl-C again to quit at once)…');
      handle.stop();
    } else void handle.terminate().then(() => process.exit(130));
  };
  process.on('SIGINT', onSigint);
  try {
    const stopped = await handle.done;
    // Only where a run was written: a run refused before it began leaves no folder to point at.
    if (existsSync(join(runDir, 'run.json'))) io.out(`Run folder: ${runDir}`);
    return stopped.reason === 'finished' || stopped.reason === 'stopped' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    await handle.terminate();
  }
}
