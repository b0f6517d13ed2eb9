import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import type { RgbaImage } from '../../core/image/grid';
import type { LatentPicture, LatentView } from '../../core/latent/latent-views';
import { drawLatentView, LatentRequestError } from '../../core/latent/latent-views';
import type { ExportManifest } from '../export/export-run';
import { writeFileAtomic } from '../fs-atomic';
import type { SavedGenerator } from '../metrics/saved-generator';
import { openSavedGenerator } from '../metrics/saved-generator';
import { encodePng } from '../png';
import { completeCheckpoints, readRunInfo } from '../run/run-folder';
import type { RunInfo } from '../run/run-folder';

/** A run folder (its checkpoint at `step`, else the newest) or an export folder. */
export interface LatentSource {
  dir: string;
  step?: number;
}

/** What the explorer shows about a model before drawing: where the weights come from and what it takes. */
export interface LatentModelInfo {
  kind: 'run' | 'export';
  name: string;
  /** The checkpoint drawn from. */
  step: number;
  /** Checkpoints that can be chosen (an export has one). */
  steps: number[];
  zDim: number;
  /** 0 = unconditional. */
  classes: number;
  /** One name per class ("class k" where the data's names are not known); empty when unconditional. */
  classNames: string[];
  /** G's moving average (EMA) is what draws, because the run keeps one. */
  usesEma: boolean;
  imageSize: number;
  channels: number;
}

export interface LatentRendering {
  model: LatentModelInfo;
  picture: LatentPicture;
  /** The picture as PNG (upscaled by `scale`, nearest neighbour). */
  png: Uint8Array;
}

/** A source the explorer cannot open (no such run, no checkpoint at that step); `notFound` for missing weights. */
export class LatentSourceError extends Error {
  override readonly name = 'LatentSourceError';
  constructor(
    message: string,
    readonly notFound: boolean,
  ) {
    super(message);
  }
}

export { LatentRequestError };

/**
 * The latent explorer's engine side: opens a run's checkpoint (EMA weights when the run keeps them) or an export,
 * keeps the last one loaded for the next request on the same checkpoint, and draws grids, interpolation strips and
 * single images from it. Requests run one at a time (G's weights are swapped for their average while one draws).
 */
export class LatentExplorer {
  private cached: { key: string; gen: SavedGenerator; model: LatentModelInfo } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** How many times weights were read from disk (a test proves the cache with it). */
  loads = 0;

  describe(source: LatentSource): Promise<LatentModelInfo> {
    return this.serial(async () => (await this.open(source)).model);
  }

  render(source: LatentSource, view: LatentView, scale = 1): Promise<LatentRendering> {
    return this.serial(async () => {
      const { gen, model } = await this.open(source);
      const picture = await gen.use((g) => drawLatentView(g, view, model.name));
      return { model, picture, png: encodePng(upscale(picture.image, scale)) };
    });
  }

  /** Draws the view and writes it as a PNG file (atomically); returns the file and its size. */
  async save(
    source: LatentSource,
    view: LatentView,
    file: string,
    scale = 1,
  ): Promise<{ path: string; bytes: number; model: LatentModelInfo }> {
    const { png, model } = await this.render(source, view, scale);
    const path = resolve(file);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, png);
    } catch (e) {
      throw new LatentRequestError(`Cannot write ${path}: ${(e as Error).message}`);
    }
    return { path, bytes: png.length, model };
  }

  dispose(): void {
    this.cached?.gen.dispose();
    this.cached = null;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async open(source: LatentSource) {
    const dir = resolve(source.dir);
    const manifest = await readManifest(dir);
    let steps: number[];
    if (manifest) {
      if (source.step !== undefined && source.step !== manifest.step)
        throw new LatentSourceError(`${dir} is an export of step ${manifest.step}; it has no other checkpoints.`, true);
      steps = [manifest.step];
    } else {
      await readRunInfo(dir).catch((e: Error) => {
        throw new LatentSourceError(`${e.message} Choose a run folder or an export folder.`, true);
      });
      steps = await completeCheckpoints(dir);
      if (steps.length === 0)
        throw new LatentSourceError(
          `${dir} has no checkpoint yet, so there are no weights to draw from; train until the first checkpoint.`,
          true,
        );
      if (source.step !== undefined && !steps.includes(source.step))
        throw new LatentSourceError(
          `${dir} has no checkpoint at step ${source.step}; it keeps steps ${steps.join(', ')}.`,
          true,
        );
    }
    const step = source.step ?? steps[steps.length - 1]!;
    const key = `${manifest ? 'export' : 'run'}:${dir}:${step}`;
    if (this.cached?.key === key) {
      this.cached.model = { ...this.cached.model, steps };
      return this.cached;
    }
    this.dispose();
    this.loads++;
    const gen = await openSavedGenerator(dir, manifest ? undefined : step).catch((e: Error) => {
      throw new LatentSourceError(e.message, true);
    });
    const doc = gen.doc;
    const model: LatentModelInfo = {
      kind: gen.kind,
      name: doc.name,
      step: gen.step,
      steps,
      zDim: 0,
      classes: 0,
      classNames: [],
      usesEma: gen.usesEma,
      imageSize: doc.dataset.imageSize,
      channels: doc.dataset.channels,
    };
    await gen.use(async (g) => {
      model.zDim = g.zDim;
      model.classes = g.classes;
    });
    model.classNames = model.classes > 0 ? await classNames(doc, gen.info, model.classes) : [];
    this.cached = { key, gen, model };
    return this.cached;
  }
}

async function readManifest(dir: string): Promise<ExportManifest | null> {
  const text = await readFile(join(dir, 'export.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const manifest = JSON.parse(text) as ExportManifest;
    if (manifest.format === 'sagan-studio/export') return manifest;
  } catch {
    // not JSON: reported below
  }
  throw new LatentSourceError(`${join(dir, 'export.json')} is not a SAGAN Studio export manifest.`, false);
}

/**
 * The classes' names: those the run kept, MNIST's digits, or the data folder's class folders (sorted as the
 * loader sorts them) when it still holds as many; otherwise "class k".
 */
async function classNames(doc: GraphDocument, info: RunInfo | null, classes: number): Promise<string[]> {
  const kept = info?.dataset.classNames;
  if (kept && kept.length === classes) return kept;
  const source = info?.dataset.source ?? doc.dataset.source;
  const fallback = Array.from({ length: classes }, (_, k) => `class ${k}`);
  if (source.kind === 'mnist') return classes === 10 ? fallback.map((_, k) => String(k)) : fallback;
  const folders = await readdir(source.path, { withFileTypes: true }).catch(() => null);
  const names = (folders ?? [])
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.') && e.name !== '__MACOSX')
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.length === classes ? names : fallback;
}

/** Nearest-neighbour enlargement by a whole factor (a 32-pixel image saved at 4× is 128 pixels, still sharp). */
export function upscale(image: RgbaImage, scale: number): RgbaImage {
  if (!Number.isInteger(scale) || scale < 1 || scale > 16)
    throw new LatentRequestError(`The PNG scale must be a whole number from 1 to 16, got ${scale}.`);
  if (scale === 1) return image;
  const width = image.width * scale;
  const height = image.height * scale;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const src = new Uint32Array(image.rgba.buffer, image.rgba.byteOffset, image.width * image.height);
  const dst = new Uint32Array(rgba.buffer);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / scale) * image.width;
    for (let x = 0; x < width; x++) dst[y * width + x] = src[row + Math.floor(x / scale)]!;
  }
  return { width, height, rgba };
}
