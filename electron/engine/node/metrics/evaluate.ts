import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DatasetSettings } from '../../../../graph-schemas';
import type { ImageDataset } from '../../core/data/dataset';
import type { FeatureNetwork } from '../../core/metrics/feature-network';
import { digitFeatureNetwork, inceptionFeatureNetwork } from '../../core/metrics/feature-network';
import type { ImageGenerator } from '../../core/metrics/generate';
import { generatedBatches } from '../../core/metrics/generate';
import type { QualityScores, ReferenceStats } from '../../core/metrics/quality';
import { embedBatches, scoreSamples } from '../../core/metrics/quality';
import { loadDigitClassifier } from './digit-classifier-files';
import { loadFidInception } from './inception-weights';
import { referenceStats, withReferenceSqrt } from './reference-stats';

/** Samples drawn per evaluation during training (the default; FID tools use 10k–50k for final numbers). */
export const DEFAULT_METRIC_SAMPLES = 2000;

/** Where reference statistics are cached when no other folder is given (the app passes its own state folder). */
export const defaultCacheDir = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sagan-studio');

export type FeatureNetworkKind = 'digit-classifier' | 'inception';

/** Grey or MNIST data → the digit classifier; colour images → FID's Inception-v3. */
export function featureNetworkFor(dataset: Pick<DatasetSettings, 'channels' | 'source'>): FeatureNetworkKind {
  return dataset.channels === 1 || dataset.source.kind === 'mnist' ? 'digit-classifier' : 'inception';
}

export async function openFeatureNetwork(kind: FeatureNetworkKind, inceptionWeights?: string): Promise<FeatureNetwork> {
  if (kind === 'inception') return inceptionFeatureNetwork(await loadFidInception(inceptionWeights));
  const { classifier } = await loadDigitClassifier();
  return { ...digitFeatureNetwork(classifier), dispose: () => {} }; // shared by the process; never disposed
}

/** What one evaluation reports: the scores, the network's names for them, and how long it took. */
export interface QualityReport extends QualityScores {
  names: FeatureNetwork['names'];
  seconds: number;
}

/**
 * Scores generators against one dataset: opens the feature network and the dataset's reference statistics
 * (cached under cacheDir) once, then draws and scores as often as asked.
 */
export class QualityEvaluator {
  private constructor(
    readonly network: FeatureNetwork,
    private reference: ReferenceStats,
    private readonly cacheDir: string | undefined,
  ) {}

  static async open(
    dataset: ImageDataset,
    kind: FeatureNetworkKind,
    o: { cacheDir?: string; inceptionWeights?: string; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<QualityEvaluator> {
    const network = await openFeatureNetwork(kind, o.inceptionWeights);
    try {
      const reference = await referenceStats(dataset, network, {
        ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });
      return new QualityEvaluator(network, reference, o.cacheDir);
    } catch (e) {
      network.dispose();
      throw e;
    }
  }

  /** Draws `n` images from `g` (noise from `seed`) and scores them. */
  async evaluate(g: ImageGenerator, n: number, seed: number): Promise<QualityReport> {
    const started = performance.now();
    if (n >= this.network.dim && !this.reference.sqrtCov)
      this.reference = await withReferenceSqrt(this.reference, this.cacheDir);
    const embedded = await embedBatches(this.network, generatedBatches(g, n, seed), n);
    const scores = await scoreSamples(this.network, this.reference, embedded, g.classes);
    return { ...scores, names: this.network.names, seconds: (performance.now() - started) / 1000 };
  }

  dispose() {
    this.network.dispose();
  }
}
