import { Worker } from 'node:worker_threads';
import type { TrainEvent } from '../../core/train/events';
import type { ExportManifest } from '../export/export-run';
import type {
  AttentionResult,
  DataReport,
  EstimateJob,
  EstimateResult,
  FromWorker,
  ToWorker,
  TrainJob,
} from './protocol';
import { claimRunFolder, describeOwner } from './run-lock';

export type StoppedEvent = Extract<TrainEvent, { type: 'stopped' }>;

/** A training run in its own worker thread, as the CLI, the web host and the desktop shell drive it. */
export interface TrainingHandle {
  pause(): void;
  resume(): void;
  stop(): void;
  setSampleEvery(every: number): void;
  /** Attention rows of the chosen query points for the chosen sample-grid cells, answered between steps. */
  attention(points: { x: number; y: number }[], samples: number[]): Promise<{ step: number; maps: AttentionResult[] }>;
  /** Resolves when the run stops, for whatever reason; never rejects. */
  done: Promise<StoppedEvent>;
  /** Ends the thread at once (after `done`, or when abandoning a run). */
  terminate(): Promise<void>;
}

/**
 * Starts a run in a new worker thread. The run folder is claimed first (a new run's folder must not hold a run, a
 * resumed one must; one writer at a time, see run-lock.ts): a RunFolderError is thrown, and nothing starts, when it
 * cannot be. The claim is released when the run stops.
 */
export function startTraining(job: TrainJob, onEvent: (e: TrainEvent) => void): TrainingHandle {
  const claim = claimRunFolder(job.runDir, job.resume);
  if (claim.tookOver)
    onEvent({
      type: 'notice',
      level: 'info',
      message: `Took over the run's lock from ${describeOwner(claim.tookOver)}, which no longer runs.`,
    });
  const worker = new Worker(new URL('./worker-entry.js', import.meta.url));
  const send = (m: ToWorker) => worker.postMessage(m);
  const pending = new Map<
    number,
    { resolve: (r: { step: number; maps: AttentionResult[] }) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let resolveDone!: (e: StoppedEvent) => void;
  let settled = false;
  let terminating = false;
  const done = new Promise<StoppedEvent>((resolve) => (resolveDone = resolve));
  const settle = (e: StoppedEvent) => {
    settled = true;
    claim.release();
    resolveDone(e);
    // The session answers questions only while it runs; later ones would wait forever.
    for (const p of pending.values()) p.reject(new Error(`The run stopped at step ${e.step} before answering.`));
    pending.clear();
  };
  const fail = (message: string) => {
    if (settled || terminating) return;
    const event: StoppedEvent = { type: 'stopped', step: 0, reason: 'error', message, lastCheckpoint: null };
    onEvent(event);
    settle(event);
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'event') {
      onEvent(m.event);
      if (m.event.type === 'stopped') settle(m.event);
    } else if (m.type === 'attention-result') {
      pending.get(m.requestId)?.resolve({ step: m.step, maps: m.maps });
      pending.delete(m.requestId);
    } else if (m.type === 'attention-error') {
      pending.get(m.requestId)?.reject(new Error(m.message));
      pending.delete(m.requestId);
    } else if (m.type === 'fatal') fail(m.message);
  });
  worker.on('error', (e) => fail(`The training thread failed: ${e.message}`));
  // An exit before 'stopped' is a failure whatever the code: nobody else will ever settle `done`.
  worker.on('exit', (code) =>
    fail(`The training thread ended unexpectedly (exit code ${code}) before the run stopped.`),
  );
  try {
    send({ type: 'start', job });
  } catch (e) {
    // The job cannot be handed over (structured clone refused it): end the thread, or it keeps the process alive.
    void worker.terminate();
    claim.release();
    throw new Error(
      `The training job could not be handed to its thread: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return {
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    stop: () => send({ type: 'stop' }),
    setSampleEvery: (every) => send({ type: 'set-sample-every', every }),
    attention: (points, samples) =>
      new Promise((resolve, reject) => {
        if (settled || terminating) return reject(new Error('The run has stopped; ask its checkpoint instead.'));
        const requestId = nextId++;
        pending.set(requestId, { resolve, reject });
        send({ type: 'attention', requestId, points, samples });
      }),
    done,
    terminate: async () => {
      terminating = true;
      await worker.terminate();
      claim.release();
    },
  };
}

/**
 * Measures one iteration of the document in a throwaway worker (seconds), so the caller's thread stays free. Aborting
 * `signal` ends the thread at once (a superseded measurement would otherwise keep the cores busy for its seconds).
 */
export function estimateTraining(job: EstimateJob, signal?: AbortSignal): Promise<EstimateResult> {
  return oneShot(
    { type: 'estimate', job },
    'measuring',
    (m) => (m.type === 'estimate-result' ? m.result : undefined),
    signal,
  );
}

/** Opens the data a document would train on in a throwaway worker (decoding a folder takes a while) and reports it. */
export function checkTrainingData(doc: unknown, data?: string, cacheDir?: string): Promise<DataReport> {
  return oneShot(
    { type: 'check-data', doc, ...(data !== undefined ? { data } : {}), ...(cacheDir ? { cacheDir } : {}) },
    'data check',
    (m) => (m.type === 'data-report' ? m.report : undefined),
  );
}

/** Exports a run in a throwaway worker (compiling and sampling take seconds), so the caller's thread stays free. */
export function exportRunInWorker(runDir: string, outDir: string): Promise<ExportManifest> {
  return oneShot({ type: 'export', runDir, outDir }, 'export', (m) =>
    m.type === 'export-result' ? m.manifest : undefined,
  );
}

/**
 * Attention from a run's checkpoint, computed in a throwaway worker: the nearest at or before `step` (the sample
 * grid's step it explains), else the newest. The answer's step is the checkpoint's.
 */
export function attentionAtCheckpoint(
  runDir: string,
  points: { x: number; y: number }[],
  samples: number[],
  step?: number,
): Promise<{ step: number; maps: AttentionResult[] }> {
  const message = { type: 'checkpoint-attention' as const, runDir, requestId: 0, points, samples };
  return oneShot(step === undefined ? message : { ...message, step }, 'attention', (m) =>
    m.type === 'attention-result' ? { step: m.step, maps: m.maps } : undefined,
  );
}

/** Thrown by a throwaway worker's promise when its signal aborted it. */
export class CancelledError extends Error {
  constructor(what: string) {
    super(`The ${what} was cancelled.`);
    this.name = 'CancelledError';
  }
}

function oneShot<T>(
  command: ToWorker,
  what: string,
  pick: (m: FromWorker) => T | undefined,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) return Promise.reject(new CancelledError(what));
  const worker = new Worker(new URL('./worker-entry.js', import.meta.url));
  let onAbort = () => {};
  return new Promise<T>((resolve, reject) => {
    onAbort = () => reject(new CancelledError(what));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromWorker) => {
      const value = pick(m);
      if (value !== undefined) resolve(value);
      else if (m.type === 'fatal') reject(new Error(m.message));
    });
    worker.on('error', (e) => reject(new Error(`The ${what} thread failed: ${e.message}`)));
    worker.on('exit', (code) => reject(new Error(`The ${what} thread exited with code ${code}.`)));
    worker.postMessage(command); // a throw here rejects the promise, and the thread is still ended below
  }).finally(() => {
    signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  });
}
