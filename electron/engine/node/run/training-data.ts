import type { GraphDocument } from '../../../../graph-schemas';
import type { ImageDataset } from '../../core/data/dataset';
import type { BatchSource, RandomSource } from '../../core/train/rng-source';
import { seededRandom, shuffledBatches } from '../../core/train/random';
import { loadImageFolder } from '../data/image-folder';
import { loadMnist } from '../data/mnist';

export { seededRandom };

export interface TrainingData {
  name: string;
  size: number;
  dataset: ImageDataset;
  batches: BatchSource;
  rng: RandomSource;
}

/**
 * The dataset the document names, or `override`: "mnist" or a folder path (checked against the document's
 * channels and classes; a folder's decoded images are cached in `cacheDir`).
 */
export async function openDataset(doc: GraphDocument, override?: string, cacheDir?: string): Promise<ImageDataset> {
  const d = doc.dataset;
  const source =
    override === undefined
      ? d.source
      : override === 'mnist'
        ? { kind: 'mnist' as const }
        : { kind: 'folder' as const, path: override };
  if (source.kind === 'mnist') {
    if (d.channels !== 1)
      throw new Error(`MNIST is grayscale, but the document asks for ${d.channels} channels; set channels to 1.`);
    if (d.classes !== 10 && d.classes !== 0)
      throw new Error(
        `MNIST has 10 classes, but the document says ${d.classes}; set classes to 10 (or 0 for unconditional).`,
      );
    return loadMnist({ size: d.imageSize });
  }
  const loaded = await loadImageFolder(source.path, {
    size: d.imageSize,
    channels: d.channels as 1 | 3,
    expectedClasses: d.classes,
    ...(cacheDir ? { cacheDir } : {}),
  });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value;
}

/**
 * Opens the dataset (see openDataset) and the seeded streams: data order from seed, training noise from seed + 1
 * (the fixed sampling noise is the run's sample-grid plan's).
 */
export async function openTrainingData(
  doc: GraphDocument,
  override?: string,
  cacheDir?: string,
): Promise<TrainingData> {
  const ds = await openDataset(doc, override, cacheDir);
  const seed = doc.training.seed;
  return {
    name: ds.name,
    size: ds.size,
    dataset: ds,
    batches: shuffledBatches(ds, seed),
    rng: seededRandom(seed + 1),
  };
}
