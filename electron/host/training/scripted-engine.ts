import type { GraphDocument } from '../../../graph-schemas';
import { defaultSampleGrid } from '../../engine/core/model/sample-grid';
import type { TrainEvent } from '../../engine/core/train/events';
import type { StoppedEvent, TrainingHandle } from '../../engine/node/run/engine-client';
import { CancelledError } from '../../engine/node/run/engine-client';
import type { DataReport, EstimateResult, TrainJob } from '../../engine/node/run/protocol';
import { createRunFolder, writeCheckpoint } from '../../engine/node/run/run-folder';
import type { RunClaim } from '../../engine/node/run/run-lock';
import { claimRunFolder } from '../../engine/node/run/run-lock';
import type { TrainingEngine } from './training-service';

/**
 * A training engine for tests of the host's error paths, behind the same interface as the worker-thread engine:
 * each run does what the test scripts (start, log steps, checkpoint, crash, diverge, refuse, ignore a stop)
 * within milliseconds. Run folders, their locks and checkpoints are the engine's real files (a run folder is claimed as
 * the real engine claims it), so the run store reads them as it reads real runs. The real engine is exercised end
 * to end by training-service.test.ts.
 */
export class ScriptedEngine implements TrainingEngine {
  readonly runs: ScriptedRun[] = [];
  /** When set, start() throws it, as when a job cannot be handed to a thread. */
  startFailure: Error | null = null;

  start(job: TrainJob, onEvent: (e: TrainEvent) => void): TrainingHandle {
    if (this.startFailure) throw this.startFailure;
    const run = new ScriptedRun(job, onEvent, claimRunFolder(job.runDir, job.resume));
    this.runs.push(run);
    return run.handle;
  }

  async checkData(): Promise<DataReport> {
    throw new Error('The scripted engine has no data.');
  }

  /** Measurements asked for and not yet answered by the test; each knows whether it was aborted. */
  readonly estimates: { signal: AbortSignal | undefined; reject(e: Error): void }[] = [];

  /** Never answers by itself (a measurement takes seconds); an abort rejects it as the worker engine's does. */
  estimate(_job: unknown, signal?: AbortSignal): Promise<EstimateResult> {
    return new Promise((_resolve, reject) => {
      this.estimates.push({ signal, reject });
      signal?.addEventListener('abort', () => reject(new CancelledError('measuring')), { once: true });
    });
  }

  async exportRun(): Promise<unknown> {
    throw new Error('The scripted engine does not export.');
  }

  async attentionAtCheckpoint(): Promise<never> {
    throw new Error('The scripted engine has no weights to ask.');
  }
}

/** One run of the scripted engine; the test calls these in the order a real run would go. */
export class ScriptedRun {
  readonly commands: string[] = [];
  terminated = false;
  /** false: the run ignores stop requests, as a thread stuck in a long iteration (or hung) would. */
  obeysStop = true;
  step = 0;
  private lastCheckpoint: string | null = null;
  private settle!: (e: StoppedEvent) => void;
  readonly handle: TrainingHandle;

  constructor(
    readonly job: TrainJob,
    private readonly onEvent: (e: TrainEvent) => void,
    private readonly claim: RunClaim,
  ) {
    const done = new Promise<StoppedEvent>((r) => (this.settle = r));
    this.handle = {
      pause: () => this.commands.push('pause'),
      resume: () => this.commands.push('resume'),
      stop: () => {
        this.commands.push('stop');
        if (this.obeysStop)
          void this.checkpoint().then(() => this.stop('stopped', `Stopped at step ${this.step}; resume to continue.`));
      },
      setSampleEvery: (every) => this.commands.push(`sample-every ${every}`),
      attention: () => Promise.reject(new Error('The scripted engine has no weights to ask.')),
      done,
      terminate: async () => {
        this.terminated = true;
        this.claim.release();
      },
    };
  }

  /** Writes run.json (a fresh run) and says 'started', as the worker does once data and backend are ready. */
  async begin(): Promise<void> {
    if (!this.job.resume)
      await createRunFolder(this.job.runDir, {
        format: 'sagan-studio/run',
        version: 1,
        id: this.job.runId,
        createdAt: new Date(0).toISOString(),
        doc: this.job.doc as never,
        seed: 0,
        backend: { name: 'scripted', reason: 'a test', threads: 1 },
        versions: {},
        dataset: { name: 'scripted', size: 1 },
        sampleGrid: defaultSampleGrid(this.job.doc as GraphDocument),
      });
    this.onEvent({
      type: 'started',
      runId: this.job.runId,
      backend: 'scripted',
      backendReason: 'a test',
      step: this.step,
      totalSteps: 100,
      resumed: this.job.resume,
    });
  }

  steps(n: number, losses: { lossD: number; lossG: number } = { lossD: 1, lossG: 0.5 }): void {
    for (let i = 0; i < n; i++) {
      this.step++;
      this.onEvent({
        type: 'step',
        step: this.step,
        totalSteps: 100,
        lossD: losses.lossD,
        lossDReal: losses.lossD / 2,
        lossDFake: losses.lossD / 2,
        lossG: losses.lossG,
        itPerSec: 10,
        etaSec: 1,
        wallMs: Date.now(),
        gammas: [],
      });
    }
  }

  /** A real (tiny) checkpoint file set at the current step. */
  async checkpoint(): Promise<void> {
    this.lastCheckpoint = await writeCheckpoint(this.job.runDir, {
      step: this.step,
      rng: null,
      data: null,
      tensors: new Map([['w', { shape: [1], data: Float32Array.of(this.step) }]]),
    });
    this.onEvent({ type: 'checkpoint', step: this.step, path: this.lastCheckpoint });
  }

  notice(level: 'info' | 'warning', message: string): void {
    this.onEvent({ type: 'notice', level, message });
  }

  /** The run's own end: says 'stopped' and settles `done`, as the session does. */
  stop(reason: StoppedEvent['reason'], message: string, lastCheckpoint = this.lastCheckpoint): void {
    const event: StoppedEvent = { type: 'stopped', step: this.step, reason, message, lastCheckpoint };
    this.onEvent(event);
    this.claim.release();
    this.settle(event);
  }
}
