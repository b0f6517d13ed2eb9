import * as tf from '@tensorflow/tfjs';
import type { GraphDocument, NetworkName } from '../../../../graph-schemas';
import { compileGraph } from '../compile/compile';
import type { CompiledGan } from '../compile/compiled-gan';
import { Rng } from '../data/sampler';
import type { RgbaImage } from '../image/grid';
import { composeGrid } from '../image/grid';
import { discriminatorInputs, generatorInputs, labelTensor } from './inputs';
import type { SampleGridPlan } from './sample-grid';
import { defaultSampleGrid, sampleGridLabels } from './sample-grid';
import type { NamedArray } from './weights';
import { readArrays, readModelWeights, writeModelWeights } from './weights';

export interface SampleBatch {
  /** NHWC in [-1, 1]. */
  images: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
  rows: number;
  cols: number;
}

/** Where the chosen query pixels of one attention node attend, for each chosen sample. */
export interface AttentionMap {
  nodeId: string;
  network: NetworkName;
  keyHeight: number;
  keyWidth: number;
  queryHeight: number;
  queryWidth: number;
  /** [sample][query] → softmax row over keyHeight·keyWidth keys. */
  data: Float32Array;
  samples: number;
  queries: number;
}

export interface GammaReading {
  nodeId: string;
  network: NetworkName;
  gamma: number;
}

export interface SigmaReading {
  nodeId: string;
  network: NetworkName;
  name: string;
  sigma: number;
}

const AVERAGE_PREFIX = 'ema/';

/**
 * A compiled GAN and what can be asked of it without training it: its weights (loaded, read, averaged), the fixed
 * sample grid, where its attention looks, γ and σ, and its networks for export. The trainer (data, optimizers, steps)
 * drives one; inspecting a checkpoint, exporting and importing use one alone. Every read-back is asynchronous
 * (`await t.data()`), so it works on backends that cannot read synchronously (WebGPU), and batched into one read per
 * question. Free of Node.
 */
export class GanModel {
  /** G's exponential moving average, once it has started; sampling and export use it in place of G's weights. */
  private average: tf.Variable[] | null = null;
  private readonly sampleNoise: Float32Array;
  private readonly sampleLabels: Int32Array;

  private constructor(
    readonly doc: GraphDocument,
    readonly gan: CompiledGan,
    readonly grid: SampleGridPlan,
  ) {
    const n = grid.rows * grid.cols;
    this.sampleNoise = new Rng(grid.noiseSeed).normal(n * gan.zDim);
    this.sampleLabels = sampleGridLabels(grid, gan.classes);
  }

  /** Compiles `doc` (fresh weights from its seed); `grid` is the run's own plan, or a new run's default. */
  static compile(doc: GraphDocument, grid: SampleGridPlan = defaultSampleGrid(doc)): GanModel {
    return new GanModel(doc, compileGraph(doc), grid);
  }

  /** Every weight of G and D, and G's moving average under "ema/<name>" once it has started. */
  async readWeights(): Promise<Map<string, NamedArray>> {
    const weights = await readModelWeights(this.gan);
    if (this.average) {
      const data = await readArrays(this.average);
      this.average.forEach((v, i) =>
        weights.set(`${AVERAGE_PREFIX}${this.gan.generator.weights[i]!.originalName}`, {
          shape: [...v.shape],
          data: data[i]!,
        }),
      );
    }
    return weights;
  }

  /**
   * Loads G's and D's weights by name (each must be present with its shape, or nothing changes) and G's moving
   * average when the tensors hold all of it; tensors of other names (optimizer state) are ignored.
   */
  loadWeights(tensors: Map<string, NamedArray>): void {
    writeModelWeights(this.gan, tensors);
    const average = this.gan.generator.weights.map((w) => tensors.get(`${AVERAGE_PREFIX}${w.originalName}`));
    tf.dispose(this.average ?? []);
    this.average = average.every((a) => a !== undefined)
      ? average.map((a) => tf.tidy(() => tf.variable(tf.tensor(a!.data, a!.shape), false)))
      : null;
  }

  /** Moves G's average towards G's current weights (starting it from them on the first call). */
  updateAverage(decay: number): void {
    const weights = this.gan.generator.weights.map((w) => w.read());
    if (!this.average) {
      this.average = weights.map((w) => tf.variable(w, false));
      return;
    }
    tf.tidy(() =>
      this.average!.forEach((avg, i) => avg.assign(tf.add(tf.mul(avg, decay), tf.mul(weights[i]!, 1 - decay)))),
    );
  }

  /** Whether sampling and export use G's moving average. */
  usesAverage(): boolean {
    return this.average !== null;
  }

  /** Runs `fn` with G's weights swapped for their moving average, when there is one. */
  async withSamplingWeights<T>(fn: () => T | Promise<T>): Promise<T> {
    if (!this.average) return fn();
    const saved = this.gan.generator.weights.map((w) => w.read().clone());
    this.gan.generator.weights.forEach((w, i) => w.write(this.average![i]!));
    try {
      return await fn();
    } finally {
      this.gan.generator.weights.forEach((w, i) => w.write(saved[i]!));
      tf.dispose(saved);
    }
  }

  /**
   * G in inference mode on the sampling weights: images [B, H, W, C] in [-1, 1] for noise z [B, zDim] and labels
   * (ignored by an unconditional G). The caller disposes the result; it stays on the backend (no read-back).
   */
  async generate(z: tf.Tensor2D, labels: tf.Tensor2D | null): Promise<tf.Tensor4D> {
    return this.withSamplingWeights(
      () => this.gan.generator.predict(generatorInputs(this.gan, z, labels)) as tf.Tensor4D,
    );
  }

  /** The fixed-noise sample grid: one row per class (up to 10 rows), G in inference mode. */
  async sample(): Promise<SampleBatch> {
    const n = this.grid.rows * this.grid.cols;
    const [z, y] = tf.tidy(() => [tf.tensor2d(this.sampleNoise, [n, this.gan.zDim]), labelTensor(this.sampleLabels)]);
    const images = await this.generate(z as tf.Tensor2D, y as tf.Tensor2D);
    tf.dispose([z, y]);
    try {
      const [data] = await readArrays([images]);
      const shape = images.shape as [number, number, number, number];
      return { images: data!, shape, labels: this.sampleLabels, rows: this.grid.rows, cols: this.grid.cols };
    } finally {
      images.dispose();
    }
  }

  /** The sample grid as the run shows and stores it: the plan's layout, black padding. */
  async sampleGridImage(): Promise<RgbaImage> {
    const batch = await this.sample();
    return composeGrid(batch.images, batch.shape, { cols: this.grid.cols, padding: this.grid.padding, background: 0 });
  }

  /** How many cells the sample grid has (the explorer's sample indices go up to this, exclusive). */
  get sampleCount(): number {
    return this.grid.rows * this.grid.cols;
  }

  /**
   * Attention rows for the chosen query pixels (in image coordinates, 0..1) of every attention node: G's from
   * generating the chosen cells of the sample grid, D's from judging those same images. One forward each, probed, not
   * N×N maps, and one read-back for all nodes.
   */
  async attention(points: { x: number; y: number }[], sampleIndices: number[]): Promise<AttentionMap[]> {
    const bad = sampleIndices.find((i) => !Number.isInteger(i) || i < 0 || i >= this.sampleCount);
    if (bad !== undefined) throw new Error(`The sample grid has ${this.sampleCount} cells; there is no cell ${bad}.`);
    const nodes = this.gan.attention;
    for (const a of nodes) {
      a.setQueries(
        points.map(
          (p) =>
            Math.min(a.queryHeight - 1, Math.floor(p.y * a.queryHeight)) * a.queryWidth +
            Math.min(a.queryWidth - 1, Math.floor(p.x * a.queryWidth)),
        ),
      );
    }
    const taken: { node: (typeof nodes)[number]; maps: tf.Tensor3D; keyHeight: number; keyWidth: number }[] = [];
    try {
      await this.withSamplingWeights(() =>
        tf.tidy(() => {
          const all = tf.tensor2d(this.sampleNoise, [this.sampleCount, this.gan.zDim]);
          const z = tf.gather(all, sampleIndices) as tf.Tensor2D;
          const y = labelTensor(Int32Array.from(sampleIndices, (i) => this.sampleLabels[i]!));
          const images = this.gan.generator.predict(generatorInputs(this.gan, z, y)) as tf.Tensor;
          this.gan.discriminator.predict(discriminatorInputs(this.gan, images, y));
        }),
      );
      for (const node of nodes) {
        const t = node.takeMaps();
        if (t) taken.push({ node, ...t });
      }
      const data = await readArrays(taken.map((t) => t.maps));
      return taken.map(({ node, keyHeight, keyWidth }, i) => ({
        nodeId: node.nodeId,
        network: node.network,
        keyHeight,
        keyWidth,
        queryHeight: node.queryHeight,
        queryWidth: node.queryWidth,
        data: data[i]!,
        samples: sampleIndices.length,
        queries: points.length,
      }));
    } finally {
      tf.dispose(taken.map((t) => t.maps));
      for (const a of nodes) a.setQueries(null);
    }
  }

  /** γ of every attention node, in one read-back. */
  async gammas(): Promise<GammaReading[]> {
    const nodes = this.gan.attention;
    if (nodes.length === 0) return [];
    const stacked = tf.tidy(() => tf.stack(nodes.map((a) => a.gamma())));
    const [values] = await readArrays([stacked]).finally(() => stacked.dispose());
    return nodes.map((a, i) => ({ nodeId: a.nodeId, network: a.network, gamma: values![i]! }));
  }

  /** σ of every spectrally normalised weight (from the stored u, no update), in one read-back. */
  async sigmas(): Promise<SigmaReading[]> {
    const named: Omit<SigmaReading, 'sigma'>[] = [];
    const scalars: tf.Scalar[] = [];
    for (const probe of this.gan.spectral) {
      for (const { name, sigma } of probe.sigmas()) {
        named.push({ nodeId: probe.nodeId, network: probe.network, name });
        scalars.push(sigma);
      }
    }
    if (scalars.length === 0) return [];
    const stacked = tf.stack(scalars);
    tf.dispose(scalars);
    const [values] = await readArrays([stacked]).finally(() => stacked.dispose());
    return named.map((n, i) => ({ ...n, sigma: values![i]! }));
  }

  /** Saves G (with its sampling weights: the moving average when there is one) through a tfjs IO handler. */
  async saveGenerator(handler: tf.io.IOHandler): Promise<void> {
    await this.withSamplingWeights(() => this.gan.generator.save(handler));
  }

  async saveDiscriminator(handler: tf.io.IOHandler): Promise<void> {
    await this.gan.discriminator.save(handler);
  }

  dispose(): void {
    this.gan.dispose();
    tf.dispose(this.average ?? []);
    this.average = null;
  }
}
