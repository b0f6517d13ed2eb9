import type * as tf from '@tensorflow/tfjs';
import { classAccuracy, classifierScore } from './class-scores';
import type { FeatureNetwork } from './feature-network';
import type { GaussianStats } from './frechet';
import { frechetDistance, StatsAccumulator } from './frechet';
import { kernelDistance } from './kid';

/** What a dataset looks like to a feature network: computed once, cached beside the dataset cache. */
export interface ReferenceStats {
  network: string;
  /** Fingerprint of the images (pixels, labels, size) the statistics were computed on. */
  dataKey: string;
  stats: GaussianStats;
  /** √Σ, when already computed (the FD route for as many samples as dimensions or more). */
  sqrtCov: Float64Array | null;
  /** A seeded subset of the reference features, for KID. */
  kidFeatures: Float32Array;
  kidCount: number;
}

/** The numbers one evaluation gives; accuracy and score only from a classifier whose classes the model draws. */
export interface QualityScores {
  network: string;
  samples: number;
  fd: number;
  kid: number;
  kidStd: number;
  accuracy: number | null;
  score: number | null;
}

/** A batch of images NHWC in [-1, 1] and the classes they were drawn for. */
export interface ImageBatch {
  images: tf.Tensor4D;
  labels: Int32Array;
}

export interface Embedded {
  features: Float32Array;
  probs: Float32Array | null;
  labels: Int32Array;
  count: number;
}

/**
 * Runs `network` over batches as they are produced (each batch is disposed here), keeping the features of at
 * most `keep` rows (all when omitted) and streaming all of them into a mean and covariance.
 */
export async function embedBatches(
  network: FeatureNetwork,
  batches: AsyncIterable<ImageBatch> | Iterable<ImageBatch>,
  total: number,
): Promise<Embedded & { stats: GaussianStats }> {
  const acc = new StatsAccumulator(network.dim);
  const features = new Float32Array(total * network.dim);
  const probs = network.classes > 0 ? new Float32Array(total * network.classes) : null;
  const labels = new Int32Array(total);
  let count = 0;
  for await (const batch of batches) {
    let out;
    try {
      out = await network.embed(batch.images);
    } finally {
      batch.images.dispose();
    }
    const n = batch.labels.length;
    if (count + n > total) throw new RangeError(`More than the ${total} images announced were produced.`);
    acc.add(out.features, n);
    features.set(out.features, count * network.dim);
    if (probs && out.probs) probs.set(out.probs, count * network.classes);
    labels.set(batch.labels, count);
    count += n;
  }
  return {
    features: features.subarray(0, count * network.dim),
    probs: probs ? probs.subarray(0, count * network.classes) : null,
    labels: labels.subarray(0, count),
    count,
    stats: acc.finish(),
  };
}

/**
 * FD, KID and (for a classifier) class accuracy and score of generated images against a dataset's reference.
 * `classes` is the generator's number of classes: accuracy needs it to equal the classifier's.
 */
export async function scoreSamples(
  network: FeatureNetwork,
  reference: ReferenceStats,
  generated: Embedded & { stats: GaussianStats },
  classes: number,
  kidSeed = 0,
): Promise<QualityScores> {
  const fd = frechetDistance(reference.stats, generated.stats, {
    generatedFeatures: generated.features,
    ...(reference.sqrtCov ? { referenceSqrt: reference.sqrtCov } : {}),
  });
  const kid = await kernelDistance(
    reference.kidFeatures,
    reference.kidCount,
    generated.features,
    generated.count,
    network.dim,
    { seed: kidSeed },
  );
  const classifies = network.classes > 0 && generated.probs !== null;
  return {
    network: network.id,
    samples: generated.count,
    fd,
    kid: kid.mean,
    kidStd: kid.std,
    accuracy:
      classifies && classes === network.classes ? classAccuracy(generated.probs!, generated.labels, classes) : null,
    score: classifies ? classifierScore(generated.probs!, network.classes) : null,
  };
}
