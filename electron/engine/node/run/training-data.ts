import type { GraphDocument } from '../../../../graph-schemas';
import type { BatchSource, RandomSource } from '../../core/train/rng-source';
import { seededRandom, shuffledBatches } from '../../core/train/random';
import { loadImageFolder } from '../data/image-folder';
import { loadMnist } from '../data/mnist';

export { seededRandom };

export interface TrainingData {
  name: string;
  size: number;
  batches: BatchSource;
  rng: RandomSource;
}

/**
 * Opens the dataset the document names (or `override`: "mnist" or a folder path) and the seeded streams:
 * data order from seed, training noise from seed + 1 (the fixed sampling noise is the run's sample-grid plan's).
 */
export async function openTrainingData(
  doc: GraphDocument,
  override?: string,
  cacheDir?: string,
): Promise<TrainingData> {
  const d = doc.dataset;
  const source =
    override === undefined
      ? d.source
      : override === 'mnist'
        ? { kind: 'mnist' as const }
        : { kind: 'folder' as const, path: override };
  let ds;
  if (source.kind === 'mnist') {
    if (d.channels !== 1)
      throw new Error(`MNIST is grayscale, but the document asks for ${d.channels} channels; set channels to 1.`);
    if (d.classes !== 10 && d.classes !== 0)
      throw new Error(
        `MNIST has 10 classes, but the document says ${d.classes}; set classes to 10 (or 0 for unconditional).`,
      );
    ds = await loadMnist({ size: d.imageSize });
  } else {
    const loaded = await loadImageFolder(source.path, {
      size: d.imageSize,
      channels: d.channels as 1 | 3,
      expectedClasses: d.classes,
      ...(cacheDir ? { cacheDir } : {}),
    });
    if (!loaded.ok) throw new Error(loaded.error.message);
    ds = loaded.value;
  }
  const seed = doc.training.seed;
  return {
    name: ds.name,
    size: ds.size,
    batches: shuffledBatches(ds, seed),
    rng: seededRandom(seed + 1),
  };
}
