import * as tf from '@tensorflow/tfjs';
import { composeGrid } from '../image/grid';
import type { RgbaImage } from '../image/grid';
import type { ImageGenerator } from '../metrics/generate';
import type { InterpolationMode, NoiseRef } from './latent-math';
import { columnNoise, interpolate } from './latent-math';

/** What the latent explorer draws from a generator. */
export type LatentView =
  /** A class × noise grid: column c's noise is (seed, c) in every row; one row per class (one row if unconditional). */
  | { kind: 'grid'; seed: number; cols: number; classes?: number[]; truncation: number | null }
  /** `frames` images from one noise vector to another, for one class. */
  | {
      kind: 'strip';
      from: NoiseRef;
      to: NoiseRef;
      classIndex: number;
      frames: number;
      mode: InterpolationMode;
      truncation: number | null;
    }
  /** One image. */
  | { kind: 'image'; noise: NoiseRef; classIndex: number; truncation: number | null };

export interface LatentPicture {
  image: RgbaImage;
  rows: number;
  cols: number;
  cellSize: number;
  padding: number;
  /** The class of each row (empty for an unconditional model). */
  rowClasses: number[];
}

/** A request the model cannot answer (a class it does not have); the message says what to change. */
export class LatentRequestError extends Error {
  override readonly name = 'LatentRequestError';
}

/** Rows shown when the grid names no classes: the first ten, as in a run's sample grid. */
const DEFAULT_ROWS = 10;
/** Images generated per forward pass (bounds memory for large models and grids). */
const CHUNK = 32;

/** Draws a view with `g` (call inside the model's sampling weights). Every tensor it makes is disposed. */
export async function drawLatentView(
  g: ImageGenerator,
  view: LatentView,
  modelName: string,
  padding = 2,
): Promise<LatentPicture> {
  const { noise, labels, cols, rowClasses } = plan(g, view, modelName);
  // A single image is saved as itself, without the frame a grid puts around its cells.
  const pad = view.kind === 'image' ? 0 : padding;
  const n = labels.length;
  let data: Float32Array | null = null;
  let shape: [number, number, number, number] = [n, 0, 0, 0];
  for (let start = 0; start < n; start += CHUNK) {
    const count = Math.min(CHUNK, n - start);
    const images = tf.tidy(() => {
      const z = tf.tensor2d(noise.subarray(start * g.zDim, (start + count) * g.zDim), [count, g.zDim]);
      const y = g.classes > 0 ? tf.tensor2d(labels.subarray(start, start + count), [count, 1], 'int32') : null;
      return g.generate(z, y);
    });
    try {
      const chunk = (await images.data()) as Float32Array;
      const [, h, w, c] = images.shape;
      if (!data) {
        data = new Float32Array(n * h * w * c);
        shape = [n, h, w, c];
      }
      data.set(chunk, start * h * w * c);
    } finally {
      images.dispose();
    }
  }
  const image = composeGrid(data!, shape, { cols, padding: pad, background: 0 });
  return { image, rows: Math.ceil(n / cols), cols, cellSize: shape[1], padding: pad, rowClasses };
}

function plan(g: ImageGenerator, view: LatentView, modelName: string) {
  const noiseOf = (ref: NoiseRef) => columnNoise(ref, g.zDim, view.truncation);
  if (view.kind === 'grid') {
    if (!Number.isInteger(view.cols) || view.cols < 1)
      throw new LatentRequestError('A grid needs at least one column.');
    const rowClasses =
      g.classes > 0
        ? (view.classes ?? range(Math.min(g.classes, DEFAULT_ROWS))).map((k) => checkClass(g, k, modelName))
        : [];
    if (g.classes === 0 && view.classes && view.classes.length > 0)
      throw new LatentRequestError(`${modelName} is unconditional: it has no classes to show as rows.`);
    if (g.classes > 0 && rowClasses.length === 0) throw new LatentRequestError('Choose at least one class to show.');
    const rows = g.classes > 0 ? rowClasses : [0];
    const columns = range(view.cols).map((column) => noiseOf({ seed: view.seed, column }));
    const noise = new Float32Array(rows.length * view.cols * g.zDim);
    rows.forEach((_, r) => columns.forEach((z, c) => noise.set(z, (r * view.cols + c) * g.zDim)));
    const labels = Int32Array.from({ length: rows.length * view.cols }, (_, i) => rows[Math.floor(i / view.cols)]!);
    return { noise, labels, cols: view.cols, rowClasses };
  }
  const classIndex = g.classes > 0 ? checkClass(g, view.classIndex, modelName) : uncond(view.classIndex, modelName);
  const vectors =
    view.kind === 'image'
      ? [noiseOf(view.noise)]
      : interpolate(noiseOf(view.from), noiseOf(view.to), view.frames, view.mode);
  const noise = new Float32Array(vectors.length * g.zDim);
  vectors.forEach((z, i) => noise.set(z, i * g.zDim));
  const labels = new Int32Array(vectors.length).fill(classIndex);
  return { noise, labels, cols: vectors.length, rowClasses: g.classes > 0 ? [classIndex] : [] };
}

function checkClass(g: ImageGenerator, k: number, modelName: string): number {
  if (!Number.isInteger(k) || k < 0 || k >= g.classes)
    throw new LatentRequestError(
      `Class ${k} is out of range: ${modelName} has ${g.classes} class${g.classes === 1 ? '' : 'es'} (0–${g.classes - 1}).`,
    );
  return k;
}

function uncond(k: number, modelName: string): number {
  if (k !== 0)
    throw new LatentRequestError(`${modelName} is unconditional: it takes no class (asked for class ${k}); use 0.`);
  return 0;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
