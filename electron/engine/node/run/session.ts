import type { GraphDocument } from '../../../../graph-schemas';
import { GanModel } from '../../core/model/gan-model';
import type { AttentionMap } from '../../core/model/gan-model';
import type { SampleGridPlan } from '../../core/model/sample-grid';
import type { TrainEvent } from '../../core/train/events';
import { sessionMsPerIteration } from '../../core/train/timing';
import { GanTrainer } from '../../core/train/trainer';
import type { BatchSource, RandomSource } from '../../core/train/rng-source';
import type { QualityMonitor } from './quality-monitor';
import { appendMetrics, resumePoint, writeCheckpoint } from './run-folder';

/** How a caller steers a running session (the worker maps its messages onto this). */
export class SessionControl {
  paused = false;
  stopRequested = false;
  sampleEvery: number;
  private wake: (() => void) | null = null;

  constructor(sampleEvery: number) {
    this.sampleEvery = sampleEvery;
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    this.wake?.();
  }
  stop() {
    this.stopRequested = true;
    this.wake?.();
  }
  /** Attention questions from the UI, answered between steps (and while paused). */
  readonly attentionQueue: {
    points: { x: number; y: number }[];
    samples: number[];
    respond(maps: AttentionMap[], step: number): void;
    fail(message: string): void;
  }[] = [];
  ask(request: SessionControl['attentionQueue'][number]) {
    this.attentionQueue.push(request);
    this.wake?.();
  }

  async waitWhilePaused() {
    while (this.paused && !this.stopRequested) {
      await new Promise<void>((r) => (this.wake = r));
      this.onWake?.();
    }
    this.wake = null;
  }
  onWake: (() => void) | null = null;
}

export interface SessionInputs {
  doc: GraphDocument;
  runDir: string;
  runId: string;
  backend: { name: string; reason: string };
  data: BatchSource;
  rng: RandomSource;
  /** The run's sample grid (from run.json). */
  sampleGrid: SampleGridPlan;
  /** Renders and stores a sample grid; returns the file written. */
  saveSample(
    step: number,
    model: GanModel,
  ): Promise<{ file: string; width: number; height: number; rgba: Uint8ClampedArray }>;
  resume: boolean;
  /** Measures sample quality every `metricsEvery` steps; absent = never. */
  quality?: Pick<QualityMonitor, 'due' | 'trained' | 'measure'>;
  /** A sentence once the compute device is gone (a GPU lost to a driver reset or out of memory), else null. */
  deviceLost?: () => string | null;
}

/** Query pixels (image coordinates 0..1) whose attention is streamed with every sample grid. */
const DEFAULT_QUERIES = [
  { x: 0.5, y: 0.5 },
  { x: 0.25, y: 0.25 },
  { x: 0.75, y: 0.3 },
  { x: 0.4, y: 0.8 },
];

/** Losses beyond this are treated as divergence (hinge losses live near 0–10). */
const DIVERGED = 1e4;

/**
 * Trains until the document's step count, a stop request or divergence: logs every step, samples every
 * `sampleEvery`, measures quality when `inputs.quality` says so, checkpoints every `checkpointEvery` and on stop. Resumes from the newest complete checkpoint.
 */
export async function runSession(
  inputs: SessionInputs,
  control: SessionControl,
  emit: (e: TrainEvent) => void,
): Promise<TrainEvent & { type: 'stopped' }> {
  const { doc, runDir } = inputs;
  const t = doc.training;
  const model = GanModel.compile(doc, inputs.sampleGrid);
  const trainer = new GanTrainer(model, inputs.data, inputs.rng);
  let lastCheckpoint: string | null = null;
  let answering = Promise.resolve();
  try {
    if (inputs.resume) {
      // The newest intact checkpoint; refused (thrown) when there are checkpoints but none is intact.
      const point = await resumePoint(runDir);
      for (const message of point.notices) emit({ type: 'notice', level: 'warning', message });
      if (point.state) {
        await trainer.importState(point.state);
        lastCheckpoint = point.path;
      }
    }
    emit({
      type: 'started',
      runId: inputs.runId,
      backend: inputs.backend.name,
      backendReason: inputs.backend.reason,
      step: trainer.step,
      totalSteps: t.steps,
      resumed: lastCheckpoint !== null,
    });
    if (trainer.step === 0) {
      lastCheckpoint = await writeCheckpoint(runDir, await trainer.exportState());
      emit({ type: 'checkpoint', step: 0, path: lastCheckpoint });
    }
    // One question at a time, between steps or while paused (the model is not thread-safe, and reads are async).
    const answer = () =>
      (answering = answering.then(async () => {
        for (const q of control.attentionQueue.splice(0)) {
          await model.attention(q.points, q.samples).then(
            (maps) => q.respond(maps, trainer.step),
            (e: unknown) => q.fail(e instanceof Error ? e.message : String(e)),
          );
        }
      }));
    control.onWake = () => void answer();
    // The last 20 iteration times; the ETA is their median, the session's first (warm-up) iteration left out.
    const times: number[] = [];
    let timed = 0;
    while (trainer.step < t.steps) {
      await answer();
      if (control.paused) {
        emit({ type: 'paused', step: trainer.step });
        await control.waitWhilePaused();
        await answering;
        if (!control.stopRequested) emit({ type: 'resumed', step: trainer.step });
      }
      if (control.stopRequested) break;
      const lost = inputs.deviceLost?.();
      if (lost) throw new Error(lost);
      const started = performance.now();
      const result = await trainer.iterate(true);
      times.push(performance.now() - started);
      timed++;
      inputs.quality?.trained(times[times.length - 1]!);
      if (times.length > 20) times.shift();
      const losses = [result.lossD, result.lossG];
      if (losses.some((v) => !Number.isFinite(v) || Math.abs(v) > DIVERGED)) {
        const message = `Training diverged at step ${trainer.step}: ${!Number.isFinite(result.lossD) || !Number.isFinite(result.lossG) ? 'a loss became NaN or infinite' : `a loss reached ${Math.max(...losses.map(Math.abs)).toExponential(1)}`}. The last good checkpoint is ${lastCheckpoint ?? 'none'}; resume from it with a lower learning rate.`;
        return finish({ type: 'stopped', step: trainer.step, reason: 'diverged', message, lastCheckpoint });
      }
      const msPerIt = sessionMsPerIteration(times, timed === times.length);
      const event: TrainEvent = {
        type: 'step',
        step: trainer.step,
        totalSteps: t.steps,
        ...result,
        realScores: result.realScores ? Array.from(result.realScores) : [],
        fakeScores: result.fakeScores ? Array.from(result.fakeScores) : [],
        itPerSec: 1000 / msPerIt,
        etaSec: ((t.steps - trainer.step) * msPerIt) / 1000,
        wallMs: Date.now(),
        gammas: await model.gammas(),
        ...(trainer.step % 10 === 0 || trainer.step === 1 ? { sigmas: await model.sigmas() } : {}),
      };
      emit(event);
      await appendMetrics(runDir, {
        step: trainer.step,
        lossD: result.lossD,
        lossDReal: result.lossDReal,
        lossDFake: result.lossDFake,
        lossG: result.lossG,
        msPerIt: times[times.length - 1],
        wallMs: event.wallMs,
        gammas: event.gammas,
      });
      if (trainer.step % control.sampleEvery === 0 || trainer.step === t.steps) {
        const s = await inputs.saveSample(trainer.step, model);
        emit({
          type: 'sample',
          step: trainer.step,
          width: s.width,
          height: s.height,
          rgba: s.rgba,
          rows: model.grid.rows,
          cols: model.grid.cols,
          cellSize: model.grid.cellSize,
          file: s.file,
        });
        if (model.gan.attention.length > 0) {
          // Where the first sample of each row looks from a few fixed query pixels (as in the paper's figures).
          const samples = Array.from({ length: model.grid.rows }, (_, r) => r * model.grid.cols);
          const maps = await model.attention(DEFAULT_QUERIES, samples);
          emit({
            type: 'attention',
            step: trainer.step,
            points: DEFAULT_QUERIES,
            samples,
            maps: maps.map((m) => ({
              nodeId: m.nodeId,
              network: m.network,
              keyHeight: m.keyHeight,
              keyWidth: m.keyWidth,
              queryHeight: m.queryHeight,
              queryWidth: m.queryWidth,
              maps: m.data,
              samples: m.samples,
              queryCount: m.queries,
            })),
          });
        }
      }
      if (inputs.quality?.due(trainer.step)) await inputs.quality.measure(trainer.step, model);
      if (trainer.step % t.checkpointEvery === 0) {
        lastCheckpoint = await writeCheckpoint(runDir, await trainer.exportState());
        emit({ type: 'checkpoint', step: trainer.step, path: lastCheckpoint });
      }
    }
    if (!lastCheckpoint?.endsWith(String(trainer.step).padStart(8, '0'))) {
      lastCheckpoint = await writeCheckpoint(runDir, await trainer.exportState());
      emit({ type: 'checkpoint', step: trainer.step, path: lastCheckpoint });
    }
    const finished = trainer.step >= t.steps;
    return finish({
      type: 'stopped',
      step: trainer.step,
      reason: finished ? 'finished' : 'stopped',
      message: finished ? `Finished ${t.steps} steps.` : `Stopped at step ${trainer.step}; resume to continue.`,
      lastCheckpoint,
    });
  } catch (e) {
    const lost = inputs.deviceLost?.();
    const where = lastCheckpoint
      ? `its last checkpoint is ${lastCheckpoint}; resume from it once the GPU is back (a smaller batch needs less GPU memory)`
      : 'no checkpoint was written yet';
    return finish({
      type: 'stopped',
      step: trainer.step,
      reason: 'error',
      message: lost
        ? `${lost} Training stopped at step ${trainer.step}: ${where}.`
        : e instanceof Error
          ? e.message
          : String(e),
      lastCheckpoint,
    });
  } finally {
    await answering.catch(() => undefined);
    for (const q of control.attentionQueue.splice(0))
      q.fail(`The run stopped at step ${trainer.step} before answering.`);
    trainer.dispose();
    model.dispose();
  }

  function finish(event: TrainEvent & { type: 'stopped' }) {
    emit(event);
    return event;
  }
}
