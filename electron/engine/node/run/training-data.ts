import { resolve } from 'node:path';
import type { GraphDocument } from '../../../../graph-schemas';
import type { ImageDataset } from '../../core/data/dataset';
import type { BatchSource, RandomSource } from '../../core/train/rng-source';
import { seededRandom, shuffledBatches } from '../../core/train/random';
import type { DataFingerprint, DataSource } from '../data/fingerprint';
import { describeFingerprint, describeSource, sameData } from '../data/fingerprint';
import { relativeTo } from '../data/folder-scan';
import { loadImageFolder } from '../data/image-folder';
import { loadMnist } from '../data/mnist';
import { imagesPerClass, previewGrid } from '../data/preview-grid';
import type { DataReport } from './protocol';
import type { RunInfo } from './run-folder';
import { readRunInfo } from './run-folder';

export { seededRandom };

export interface TrainingData {
  name: string;
  size: number;
  classes: number;
  dataset: ImageDataset;
  batches: BatchSource;
  rng: RandomSource;
  /** The data opened, resolved (a folder's absolute path), and what it held. */
  source: DataSource;
  fingerprint: DataFingerprint;
  /** Image files that could not be read and were left out, with why. */
  skipped: { file: string; reason: string }[];
}

/** How many skipped files a message and run.json name; the count is always whole. */
const SKIPPED_SHOWN = 5;

/** `--data`'s words for a source: "mnist" or a folder path (relative paths from the current folder). */
export function dataSource(arg: string): DataSource {
  return arg === 'mnist' ? { kind: 'mnist' } : { kind: 'folder', path: resolve(arg) };
}

/** The document's data source, resolved (a folder's path made absolute). */
const documentSource = (doc: GraphDocument): DataSource =>
  doc.dataset.source.kind === 'mnist' ? { kind: 'mnist' } : { kind: 'folder', path: resolve(doc.dataset.source.path) };

/**
 * A dataset for the document (checked against its channels and classes; a folder's decoded images are cached in
 * `cacheDir`), with its fingerprint and the files left out.
 */
async function loadSource(
  doc: GraphDocument,
  source: DataSource,
  cacheDir?: string,
): Promise<{ ds: ImageDataset; fingerprint: DataFingerprint; skipped: { file: string; reason: string }[] }> {
  const d = doc.dataset;
  if (source.kind === 'mnist') {
    if (d.channels !== 1)
      throw new Error(`MNIST is grayscale, but the document asks for ${d.channels} channels; set channels to 1.`);
    if (d.classes !== 10 && d.classes !== 0)
      throw new Error(
        `MNIST has 10 classes, but the document says ${d.classes}; set classes to 10 (or 0 for unconditional).`,
      );
    const ds = await loadMnist({ size: d.imageSize });
    return {
      ds,
      fingerprint: { count: ds.size, bytes: ds.size * d.imageSize * d.imageSize, files: 'mnist' },
      skipped: [],
    };
  }
  const loaded = await loadImageFolder(source.path, {
    size: d.imageSize,
    channels: d.channels as 1 | 3,
    expectedClasses: d.classes,
    ...(cacheDir ? { cacheDir } : {}),
  });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return { ds: loaded.value, fingerprint: loaded.value.fingerprint, skipped: loaded.value.skipped };
}

/** The dataset the document names, or `override`: "mnist" or a folder path. */
export async function openDataset(doc: GraphDocument, override?: string, cacheDir?: string): Promise<ImageDataset> {
  return (await loadSource(doc, override === undefined ? documentSource(doc) : dataSource(override), cacheDir)).ds;
}

/**
 * Opens the dataset the document names (or `source` instead) and the seeded streams: data order from seed,
 * training noise from seed + 1 (the fixed sampling noise is the run's sample-grid plan's).
 */
export async function openTrainingData(
  doc: GraphDocument,
  source: DataSource = documentSource(doc),
  cacheDir?: string,
): Promise<TrainingData> {
  const { ds, fingerprint, skipped } = await loadSource(doc, source, cacheDir);
  const seed = doc.training.seed;
  return {
    name: ds.name,
    size: ds.size,
    classes: ds.classes,
    dataset: ds,
    batches: shuffledBatches(ds, seed),
    rng: seededRandom(seed + 1),
    source,
    fingerprint,
    skipped,
  };
}

/**
 * The data of a run, checked before anything is measured or written: a new run's is the document's (or `--data`);
 * a resumed run's is the one saved in its run.json (or `--data`), refused when it is not the data the run started
 * on. `notices` say which files were left out.
 */
export async function openRunData(
  job: { runDir: string; resume: boolean; data?: string; cacheDir?: string },
  doc: GraphDocument,
): Promise<TrainingData & { notices: string[]; record: RunInfo['dataset'] }> {
  const saved = job.resume ? (await readRunInfo(job.runDir)).dataset : undefined;
  const source = job.data !== undefined ? dataSource(job.data) : saved?.source;
  const data = await openTrainingData(doc, source, job.cacheDir);
  if (saved?.fingerprint && !sameData(saved.fingerprint, data.fingerprint)) {
    const was = saved.source ? describeSource(saved.source) : 'its data';
    throw new Error(
      `This run was trained on ${was} (${describeFingerprint(saved.fingerprint)}), but ${describeSource(data.source)} holds ${describeFingerprint(data.fingerprint)}: not the same data. Resume on the run's own data, or start a new run for this data.`,
    );
  }
  const notices: string[] = [];
  if (data.skipped.length > 0) {
    const root = data.source.kind === 'folder' ? data.source.path : '';
    const names = data.skipped.slice(0, SKIPPED_SHOWN).map((s) => `${relativeTo(root, s.file)} (${s.reason})`);
    const more = data.skipped.length > SKIPPED_SHOWN ? `, and ${data.skipped.length - SKIPPED_SHOWN} more` : '';
    notices.push(
      `${data.skipped.length} of ${data.skipped.length + data.size} image files in ${describeSource(data.source)} could not be read and are left out: ${names.join('; ')}${more}.`,
    );
  }
  const record: RunInfo['dataset'] = {
    name: data.name,
    size: data.size,
    source: data.source,
    fingerprint: data.fingerprint,
    skipped: { count: data.skipped.length, examples: data.skipped.slice(0, SKIPPED_SHOWN) },
    classNames: data.dataset.classNames,
  };
  return { ...data, notices, record };
}

/** What the Train dialog shows of the data before a run starts: usable images, classes, what was left out. */
export function dataReport(data: TrainingData & { record: RunInfo['dataset'] }): DataReport {
  return {
    source: data.source,
    name: data.name,
    images: data.size,
    classes: data.classes,
    skipped: data.record.skipped ?? { count: 0, examples: [] },
    classNames: data.dataset.classNames,
    perClass: imagesPerClass(data.dataset),
    imageSize: data.dataset.height,
    channels: data.dataset.channels,
    preview: previewGrid(data.dataset),
  };
}
