import { rm } from 'node:fs/promises';
import type {
  AttentionAnswer,
  DataCheck,
  TrainingDataChoice,
  EventMessage,
  RunStatus,
  RunSummary,
  TrainingEstimate,
  TrainingOptions,
  TrainingEventWire,
} from '../../../graph-schemas';
import { ApiError, eventMessage, loadGraph } from '../../../graph-schemas';
import type { TrainEvent } from '../../engine/core/train/events';
import type { StoppedEvent, TrainingHandle } from '../../engine/node/run/engine-client';
import { CancelledError } from '../../engine/node/run/engine-client';
import type {
  AttentionResult,
  DataReport,
  EstimateJob,
  EstimateResult,
  TrainJob,
} from '../../engine/node/run/protocol';
import { RunFolderError } from '../../engine/node/run/run-lock';
import type { RunStore } from './run-store';
import { newRunId } from './run-store';
import { attentionMapsToWire, trainEventToWire } from './wire';

/** The engine as the host uses it; tests give a scripted one, the app the worker-thread engine. */
export interface TrainingEngine {
  /** Throws a RunFolderError when the run's folder cannot be claimed (it holds a run, or another process trains it). */
  start(job: TrainJob, onEvent: (e: TrainEvent) => void): TrainingHandle;
  checkData(doc: unknown, data?: string, cacheDir?: string): Promise<DataReport>;
  /** Aborting `signal` ends the measurement and rejects with a CancelledError. */
  estimate(job: EstimateJob, signal?: AbortSignal): Promise<EstimateResult>;
  exportRun(runDir: string, outDir: string): Promise<unknown>;
  /** From the checkpoint nearest at or before `step` (the sample grid's step it explains), else the newest. */
  attentionAtCheckpoint(
    runDir: string,
    points: { x: number; y: number }[],
    samples: number[],
    step?: number,
  ): Promise<{ step: number; maps: AttentionResult[] }>;
}

interface ActiveRun {
  handle: TrainingHandle;
  status: RunStatus;
  step: number;
  totalSteps: number;
  backend: string;
  docPath: string | null;
  name: string;
  createdAt: string;
  message: string;
  /** Events are converted one after another (a sample grid is read from disk), so they reach the UI in order. */
  queue: Promise<void>;
  /** Ends the run without its engine's word (it did not stop when asked); the event says why. */
  abandon(stopped: StoppedEvent): void;
  /** Resolves once the run has stopped, its thread ended and it left the active list. */
  finished: Promise<void>;
}

export interface TrainingServiceOptions {
  store: RunStore;
  engine: TrainingEngine;
  emit(message: EventMessage): void;
  /** Where MNIST and decoded image folders are cached between runs. */
  cacheDir?: string;
  now?: () => Date;
  /**
   * How long a run may take to checkpoint and stop when asked (the iteration in flight finishes first) before its
   * thread is ended without a final checkpoint; default 120 s. Closing the app and Ctrl-C never wait longer.
   */
  stopTimeoutMs?: number;
}

/** Starts, steers and lists training runs for the UI; one worker thread per running run. */
export class TrainingService {
  private readonly active = new Map<string, ActiveRun>();
  private readonly now: () => Date;
  /** The estimate being measured, if any. */
  private measuring: AbortController | null = null;

  constructor(private readonly opts: TrainingServiceOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Measures one iteration. A newer estimate, or a run starting, cancels the one in flight: the dialog only shows
   * the newest, and a stale measurement would take cores from what the user asked for next.
   */
  async estimate(options: TrainingOptions): Promise<TrainingEstimate> {
    const doc = this.prepareDocument(options);
    this.cancelEstimate();
    const measuring = new AbortController();
    this.measuring = measuring;
    try {
      return await this.opts.engine.estimate({ doc, backend: options.backend }, measuring.signal);
    } catch (e) {
      if (e instanceof CancelledError) throw new ApiError('conflict', 'A newer estimate replaced this one.');
      throw new ApiError('bad-request', (e as Error).message);
    } finally {
      if (this.measuring === measuring) this.measuring = null;
    }
  }

  private cancelEstimate(): void {
    this.measuring?.abort();
    this.measuring = null;
  }

  /** What the chosen data holds for the document, and which files cannot be read; refused with the loader's reason. */
  async checkData(rawDoc: unknown, data: TrainingDataChoice): Promise<DataCheck> {
    const loaded = loadGraph(rawDoc);
    if (!loaded.ok) throw new ApiError('bad-request', `The graph cannot be trained: ${loaded.error.message}`);
    try {
      const report = await this.opts.engine.checkData(
        loaded.value.doc,
        data.kind === 'mnist' ? 'mnist' : data.path,
        this.opts.cacheDir,
      );
      return { ...report, source: report.source.kind === 'mnist' ? { kind: 'mnist' } : report.source };
    } catch (e) {
      throw new ApiError('bad-request', (e as Error).message);
    }
  }

  async start(options: TrainingOptions): Promise<RunSummary> {
    const doc = this.prepareDocument(options);
    const runId = newRunId(doc.name, this.now());
    return this.launch(
      runId,
      { doc, runDir: this.opts.store.dir(runId), runId, resume: false, backend: options.backend, ...this.cache() },
      options.docPath,
      doc.name,
      doc.training.steps,
    );
  }

  async resume(runId: string, backend: TrainJob['backend']): Promise<RunSummary> {
    if (this.active.has(runId)) throw new ApiError('conflict', `Run ${runId} is already running.`);
    const { store } = this.opts;
    const info = await store.info(runId);
    const status = await store.readStatus(runId);
    if ((await store.checkpointSteps(runId)).length === 0)
      throw new ApiError('conflict', `Run ${runId} has no checkpoint to resume from; start a new run instead.`);
    return this.launch(
      runId,
      { doc: info.doc, runDir: store.dir(runId), runId, resume: true, backend, ...this.cache() },
      status?.docPath ?? null,
      info.doc.name,
      info.doc.training.steps,
      info.createdAt,
    );
  }

  pause(runId: string): Promise<RunSummary> {
    const run = this.running(runId);
    run.handle.pause();
    run.status = 'paused'; // takes effect after the iteration in flight; the 'paused' event confirms it
    return this.summary(runId);
  }

  continue(runId: string): Promise<RunSummary> {
    const run = this.running(runId);
    run.handle.resume();
    run.status = 'running';
    return this.summary(runId);
  }

  /** Asks the run to checkpoint and stop, and waits until it has; a run that does not answer in time is ended. */
  async stop(runId: string): Promise<RunSummary> {
    const run = this.active.get(runId);
    if (run) {
      run.handle.stop();
      const timeoutMs = this.opts.stopTimeoutMs ?? 120_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answered = await Promise.race([
        run.finished.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!answered) {
        run.abandon({
          type: 'stopped',
          step: run.step,
          reason: 'error',
          message: `The run did not stop within ${(timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0)} s of being asked, so its training thread was ended without a final checkpoint. Resume it from its last checkpoint.`,
          lastCheckpoint: null,
        });
        await run.finished;
      }
    }
    return this.summary(runId);
  }

  setSampleEvery(runId: string, every: number): void {
    this.running(runId).handle.setSampleEvery(every);
  }

  /**
   * From the live model while the run trains; from its newest checkpoint once it has stopped; for a sample grid
   * scrubbed back to `step`, from the checkpoint nearest at or before it (running or not; a training run without a
   * checkpoint yet answers from its live model). The answer's step is the weights' step, `from` says which weights.
   */
  async attention(
    runId: string,
    points: { x: number; y: number }[],
    samples: number[],
    step?: number,
  ): Promise<AttentionAnswer> {
    this.opts.store.dir(runId); // checks the id
    const run = this.active.get(runId);
    // A training run without a checkpoint yet answers from its live model (the answer's step says so).
    const live =
      run !== undefined && (step === undefined || (await this.opts.store.checkpointSteps(runId)).length === 0);
    let answer: { step: number; maps: AttentionResult[] };
    if (run && live) answer = await run.handle.attention(points, samples);
    else {
      await this.opts.store.info(runId);
      if ((await this.opts.store.checkpointSteps(runId)).length === 0)
        throw new ApiError(
          'conflict',
          `Run ${runId} has no checkpoint yet, so there are no weights${step === undefined ? '' : ` for step ${step}`} to ask where they attend.`,
        );
      answer = await this.opts.engine
        .attentionAtCheckpoint(this.opts.store.dir(runId), points, samples, step)
        .catch((e: unknown) => {
          throw new ApiError('bad-request', (e as Error).message);
        });
    }
    return {
      step: answer.step,
      from: live ? 'live' : 'checkpoint',
      points,
      samples,
      maps: attentionMapsToWire(answer.maps),
    };
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  async summary(runId: string): Promise<RunSummary> {
    const run = this.active.get(runId);
    const onDisk = await this.opts.store.summary(runId, run !== undefined).catch((e: unknown) => {
      if (run) return null; // the worker has not written run.json yet
      throw e;
    });
    if (!run) return onDisk!;
    const base: RunSummary = onDisk ?? {
      id: runId,
      name: run.name,
      docPath: run.docPath,
      status: run.status,
      step: run.step,
      totalSteps: run.totalSteps,
      backend: run.backend,
      createdAt: run.createdAt,
      lastLosses: null,
      checkpointStep: null,
      message: run.message,
      dir: this.opts.store.dir(runId),
    };
    return {
      ...base,
      status: run.status,
      step: Math.max(base.step, run.step),
      totalSteps: run.totalSteps,
      message: run.message,
      docPath: run.docPath,
      backend: run.backend || base.backend,
    };
  }

  async list(docPath: string | null | undefined): Promise<RunSummary[]> {
    const ids = new Set([...(await this.opts.store.ids()), ...this.active.keys()]);
    const all = await Promise.all([...ids].map((id) => this.summary(id).catch(() => null)));
    return all
      .filter((r): r is RunSummary => r !== null && (docPath === undefined || r.docPath === docPath))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async remove(runId: string): Promise<boolean> {
    if (this.active.has(runId))
      throw new ApiError('conflict', `Run ${runId} is still training; stop it before deleting it.`);
    const removed = await this.opts.store.remove(runId);
    if (removed) this.opts.emit(eventMessage('runs.changed', { runId }));
    return removed;
  }

  /** Stops every run with a checkpoint (closing the app must not lose training). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id).catch(() => undefined)));
  }

  private running(runId: string): ActiveRun {
    this.opts.store.dir(runId); // checks the id
    const run = this.active.get(runId);
    if (!run) throw new ApiError('conflict', `Run ${runId} is not training now; resume it first.`);
    return run;
  }

  private cache(): Pick<TrainJob, 'cacheDir'> {
    return this.opts.cacheDir ? { cacheDir: this.opts.cacheDir } : {};
  }

  /** The UI's document with the Train dialog's choices applied; refused with the loader's message. */
  private prepareDocument(o: TrainingOptions) {
    const loaded = loadGraph(o.doc);
    if (!loaded.ok) throw new ApiError('bad-request', `The graph cannot be trained: ${loaded.error.message}`);
    const doc = loaded.value.doc;
    return {
      ...doc,
      dataset: {
        ...doc.dataset,
        source: o.data.kind === 'mnist' ? { kind: 'mnist' as const } : { kind: 'folder' as const, path: o.data.path },
      },
      training: {
        ...doc.training,
        ...(o.steps !== undefined ? { steps: o.steps } : {}),
        ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        ...(o.sampleEvery !== undefined ? { sampleEvery: o.sampleEvery } : {}),
      },
    };
  }

  private async launch(
    runId: string,
    job: TrainJob,
    docPath: string | null,
    name: string,
    totalSteps: number,
    createdAt = this.now().toISOString(),
  ): Promise<RunSummary> {
    this.cancelEstimate();
    let end!: (stopped: StoppedEvent) => void;
    const ended = new Promise<{ stopped: StoppedEvent; abandoned: boolean }>(
      (resolve) => (end = (stopped) => resolve({ stopped, abandoned: true })),
    );
    const run: ActiveRun = {
      handle: undefined as unknown as TrainingHandle,
      status: 'running',
      step: 0,
      totalSteps,
      backend: '',
      docPath,
      name,
      createdAt,
      message: 'Starting…',
      queue: Promise.resolve(),
      abandon: (stopped) => end(stopped),
      finished: Promise.resolve(),
    };
    const enqueue = (e: TrainEvent) => {
      run.queue = run.queue.then(() => this.onEvent(runId, run, e)).catch(() => undefined);
    };
    try {
      run.handle = this.opts.engine.start(job, enqueue);
    } catch (e) {
      // The job never reached a thread: nothing runs, nothing is listed. A folder it could not claim is not ours.
      if (e instanceof RunFolderError) throw new ApiError('conflict', e.message);
      await this.dropIfEmpty(runId);
      throw new ApiError('internal', `Could not start training ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.active.set(runId, run);
    const outcome = Promise.race([run.handle.done.then((stopped) => ({ stopped, abandoned: false })), ended]);
    run.finished = outcome.then(async ({ stopped, abandoned }) => {
      if (abandoned) enqueue(stopped); // the engine said nothing: the UI and status file hear it from us
      await run.queue;
      await run.handle.terminate().catch(() => undefined);
      this.active.delete(runId);
      await this.dropIfEmpty(runId);
      this.opts.emit(eventMessage('runs.changed', { runId }));
    });
    this.opts.emit(eventMessage('runs.changed', { runId }));
    return this.summary(runId);
  }

  private async onEvent(runId: string, run: ActiveRun, e: TrainEvent): Promise<void> {
    const wire: TrainingEventWire = await trainEventToWire(e);
    switch (e.type) {
      case 'started':
        Object.assign(run, {
          backend: e.backend,
          step: e.step,
          totalSteps: e.totalSteps,
          message: `Training on ${e.backend}.`,
        });
        await this.saveStatus(runId, run);
        break;
      case 'step':
        run.step = e.step;
        break;
      case 'paused':
      case 'resumed':
        Object.assign(run, {
          status: e.type === 'paused' ? 'paused' : 'running',
          step: e.step,
          message: e.type === 'paused' ? `Paused at step ${e.step}.` : `Training on ${run.backend}.`,
        });
        await this.saveStatus(runId, run);
        break;
      case 'checkpoint':
        await this.saveStatus(runId, run);
        break;
      case 'stopped':
        Object.assign(run, { status: e.reason, step: e.step, message: e.message });
        await this.saveStatus(runId, run);
        break;
    }
    this.opts.emit(eventMessage('training.event', { runId, event: wire }));
  }

  /** The status file sits beside run.json, which the worker writes first; before that there is nothing to keep. */
  private async saveStatus(runId: string, run: ActiveRun): Promise<void> {
    if (!(await this.opts.store.has(runId))) return;
    await this.opts.store.writeStatus(runId, {
      status: run.status,
      step: run.step,
      totalSteps: run.totalSteps,
      message: run.message,
      docPath: run.docPath,
      updatedAt: this.now().toISOString(),
    });
  }

  /** A run refused before it began (a batch that does not fit, an unreadable folder) leaves no empty folder. */
  private async dropIfEmpty(runId: string): Promise<void> {
    if (!(await this.opts.store.has(runId)))
      await rm(this.opts.store.dir(runId), { recursive: true, force: true }).catch(() => undefined);
  }
}
