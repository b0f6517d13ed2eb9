import * as tf from '@tensorflow/tfjs';
import type { GraphDocument } from '../../../../graph-schemas';
import { compileGraph } from '../compile/compile';
import type { CompiledGan } from '../compile/compiled-gan';
import type { NamedArray } from './model-state';
import { readModelWeights, readOptimizerState, writeModelWeights, writeOptimizerState } from './model-state';
import type { BatchSource, RandomSource } from './rng-source';
import type { IterationResult, Optimizers } from './step';
import { discriminatorInputs, generatorInputs, labelTensor, makeOptimizers, trainIteration } from './step';

export interface TrainerState {
  step: number;
  rng: unknown;
  data: unknown;
  tensors: Map<string, NamedArray>;
}

export interface SampleBatch {
  /** NHWC in [-1, 1]. */
  images: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
  rows: number;
  cols: number;
}

/**
 * A GAN in training: the compiled models, their optimizers, the seeded data order and noise, and an optional
 * EMA of G. Free of Node: data, randomness and storage come in through interfaces.
 */
export class GanTrainer {
  readonly gan: CompiledGan;
  readonly optimizers: Optimizers;
  step = 0;
  private ema: tf.Variable[] | null = null;
  private readonly sampleNoise: Float32Array;
  private readonly sampleLabels: Int32Array;
  readonly sampleRows: number;
  readonly sampleCols: number;

  constructor(
    readonly doc: GraphDocument,
    private readonly data: BatchSource,
    private readonly rng: RandomSource,
    /** A separate stream for the fixed sampling noise, so it never depends on how far training went. */
    sampleRng: RandomSource,
  ) {
    this.gan = compileGraph(doc);
    this.optimizers = makeOptimizers(doc.training.generatorOptimizer, doc.training.discriminatorOptimizer);
    const classes = doc.dataset.classes;
    this.sampleRows = classes > 0 ? Math.min(classes, 10) : 8;
    this.sampleCols = 8;
    const n = this.sampleRows * this.sampleCols;
    this.sampleNoise = sampleRng.normal(n * this.gan.zDim);
    this.sampleLabels = Int32Array.from({ length: n }, (_, i) =>
      classes > 0 ? Math.floor(i / this.sampleCols) % classes : 0,
    );
  }

  iterate(collectScores = false): IterationResult {
    const t = this.doc.training;
    const result = trainIteration(this.gan, this.optimizers, this.data, this.rng, {
      objective: t.objective,
      dStepsPerGStep: t.dStepsPerGStep,
      batchSize: t.batchSize,
      collectScores,
    });
    this.step++;
    this.updateEma();
    return result;
  }

  private updateEma() {
    const e = this.doc.training.ema;
    if (!e.enabled || this.step < e.startStep) return;
    const weights = this.gan.generator.weights.map((w) => w.read());
    if (!this.ema) {
      this.ema = weights.map((w) => tf.variable(w.clone(), false));
      return;
    }
    tf.tidy(() =>
      this.ema!.forEach((avg, i) => avg.assign(tf.add(tf.mul(avg, e.decay), tf.mul(weights[i]!, 1 - e.decay)))),
    );
  }

  /** Runs `fn` with G's weights swapped for their moving average, when EMA is on and has started. */
  private withSamplingWeights<T>(fn: () => T): T {
    if (!this.ema) return fn();
    const saved = this.gan.generator.weights.map((w) => w.read().clone());
    this.gan.generator.weights.forEach((w, i) => w.write(this.ema![i]!));
    try {
      return fn();
    } finally {
      this.gan.generator.weights.forEach((w, i) => w.write(saved[i]!));
      tf.dispose(saved);
    }
  }

  usesEma(): boolean {
    return this.ema !== null;
  }

  /** Async variant for saving the sampling weights (export). */
  async withSamplingWeightsAsync<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.ema) return fn();
    const saved = this.gan.generator.weights.map((w) => w.read().clone());
    this.gan.generator.weights.forEach((w, i) => w.write(this.ema![i]!));
    try {
      return await fn();
    } finally {
      this.gan.generator.weights.forEach((w, i) => w.write(saved[i]!));
      tf.dispose(saved);
    }
  }

  /** The fixed-noise sample grid: one row per class (up to 10 rows), G in inference mode. */
  sample(): SampleBatch {
    return this.withSamplingWeights(() => {
      const n = this.sampleRows * this.sampleCols;
      const images = tf.tidy(() => {
        const z = tf.tensor2d(this.sampleNoise, [n, this.gan.zDim]);
        return this.gan.generator.predict(generatorInputs(this.gan, z, labelTensor(this.sampleLabels))) as tf.Tensor4D;
      });
      const shape = images.shape as [number, number, number, number];
      const data = images.dataSync() as Float32Array;
      images.dispose();
      return { images: data, shape, labels: this.sampleLabels, rows: this.sampleRows, cols: this.sampleCols };
    });
  }

  /**
   * Attention rows for the chosen query pixels (in image coordinates, 0..1) of every attention node: G's from
   * generating the sample grid, D's from judging those same images. One forward each, probed, not N×N maps.
   */
  attention(points: { x: number; y: number }[], sampleIndices: number[]) {
    return this.withSamplingWeights(() => {
      const maps: {
        nodeId: string;
        network: 'generator' | 'discriminator';
        keyHeight: number;
        keyWidth: number;
        queryHeight: number;
        queryWidth: number;
        data: Float32Array;
        samples: number;
        queries: number;
      }[] = [];
      for (const a of this.gan.attention) {
        a.setQueries(
          points.map(
            (p) =>
              Math.min(a.queryHeight - 1, Math.floor(p.y * a.queryHeight)) * a.queryWidth +
              Math.min(a.queryWidth - 1, Math.floor(p.x * a.queryWidth)),
          ),
        );
      }
      try {
        tf.tidy(() => {
          const z = tf.gather(
            tf.tensor2d(this.sampleNoise, [this.sampleNoise.length / this.gan.zDim, this.gan.zDim]),
            sampleIndices,
          ) as tf.Tensor2D;
          const y = labelTensor(Int32Array.from(sampleIndices, (i) => this.sampleLabels[i]!));
          const images = this.gan.generator.predict(generatorInputs(this.gan, z, y)) as tf.Tensor;
          this.gan.discriminator.predict(discriminatorInputs(this.gan, images, y));
        });
        for (const a of this.gan.attention) {
          const taken = a.takeMaps();
          if (!taken) continue;
          maps.push({
            nodeId: a.nodeId,
            network: a.network,
            keyHeight: taken.keyHeight,
            keyWidth: taken.keyWidth,
            queryHeight: a.queryHeight,
            queryWidth: a.queryWidth,
            data: taken.maps.dataSync() as Float32Array,
            samples: sampleIndices.length,
            queries: points.length,
          });
          taken.maps.dispose();
        }
      } finally {
        for (const a of this.gan.attention) a.setQueries(null);
      }
      return maps;
    });
  }

  gammas() {
    return this.gan.attention.map((a) => ({ nodeId: a.nodeId, network: a.network, gamma: a.gamma() }));
  }

  sigmas() {
    const out: { nodeId: string; network: 'generator' | 'discriminator'; name: string; sigma: number }[] = [];
    for (const probe of this.gan.spectral) {
      for (const { name, sigma } of probe.sigmas()) {
        out.push({ nodeId: probe.nodeId, network: probe.network, name, sigma: sigma.dataSync()[0]! });
        sigma.dispose();
      }
    }
    return out;
  }

  async exportState(): Promise<TrainerState> {
    const tensors = readModelWeights(this.gan);
    for (const [k, v] of await readOptimizerState(this.optimizers)) tensors.set(k, v);
    this.ema?.forEach((v, i) =>
      tensors.set(`ema/${this.gan.generator.weights[i]!.originalName}`, {
        shape: [...v.shape],
        data: v.dataSync() as Float32Array,
      }),
    );
    return { step: this.step, rng: this.rng.getState(), data: this.data.getState(), tensors };
  }

  async importState(state: TrainerState): Promise<void> {
    writeModelWeights(this.gan, state.tensors);
    await writeOptimizerState(this.optimizers, state.tensors);
    const ema = this.gan.generator.weights.map((w) => state.tensors.get(`ema/${w.originalName}`));
    if (ema.every((e) => e)) {
      tf.dispose(this.ema ?? []);
      this.ema = ema.map((e) => tf.variable(tf.tensor(e!.data, e!.shape), false));
    }
    this.step = state.step;
    this.rng.setState(state.rng);
    this.data.setState(state.data);
  }

  dispose() {
    this.gan.dispose();
    this.optimizers.generator.dispose();
    this.optimizers.discriminator.dispose();
    tf.dispose(this.ema ?? []);
  }
}
