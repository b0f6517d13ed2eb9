import type { GanModel } from '../model/gan-model';
import type { NamedArray } from '../model/weights';
import { readOptimizerState, writeOptimizerState } from './optimizer-state';
import type { BatchSource, RandomSource } from './rng-source';
import type { IterationResult, Optimizers } from './step';
import { makeOptimizers, trainIteration } from './step';

/** Everything a checkpoint holds: the step, the data order and noise streams, and every tensor (model and Adam). */
export interface TrainerState {
  step: number;
  rng: unknown;
  data: unknown;
  tensors: Map<string, NamedArray>;
}

/**
 * Trains a GanModel: the optimizers, the seeded data order and noise, the step count, and when G's moving average
 * moves. The model itself (weights, sampling, attention, export) is the caller's, who disposes it. Free of Node:
 * data, randomness and storage come in through interfaces.
 */
export class GanTrainer {
  readonly optimizers: Optimizers;
  step = 0;

  constructor(
    readonly model: GanModel,
    private readonly data: BatchSource,
    private readonly rng: RandomSource,
  ) {
    const t = model.doc.training;
    this.optimizers = makeOptimizers(t.generatorOptimizer, t.discriminatorOptimizer);
  }

  /** One D:G iteration; its losses (and D's scores, when asked) are read back asynchronously, once. */
  async iterate(collectScores = false): Promise<IterationResult> {
    const t = this.model.doc.training;
    const result = await trainIteration(this.model.gan, this.optimizers, this.data, this.rng, {
      objective: t.objective,
      dStepsPerGStep: t.dStepsPerGStep,
      batchSize: t.batchSize,
      collectScores,
    });
    this.step++;
    if (t.ema.enabled && this.step >= t.ema.startStep) this.model.updateAverage(t.ema.decay);
    return result;
  }

  async exportState(): Promise<TrainerState> {
    const tensors = await this.model.readWeights();
    for (const [k, v] of await readOptimizerState(this.optimizers)) tensors.set(k, v);
    return { step: this.step, rng: this.rng.getState(), data: this.data.getState(), tensors };
  }

  async importState(state: TrainerState): Promise<void> {
    this.model.loadWeights(state.tensors);
    await writeOptimizerState(this.optimizers, state.tensors);
    this.step = state.step;
    this.rng.setState(state.rng);
    this.data.setState(state.data);
  }

  /** Frees the optimizers' state (the model is its owner's to dispose). */
  dispose(): void {
    this.optimizers.generator.dispose();
    this.optimizers.discriminator.dispose();
  }
}
