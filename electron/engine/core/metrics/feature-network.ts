import * as tf from '@tensorflow/tfjs';
import type { DigitClassifier } from './digit-classifier';
import { DIGIT_CLASSIFIER, toClassifierInput } from './digit-classifier';
import type { FidInception } from './inception';
import { FID_INCEPTION } from './inception';

/** A network whose features the quality metrics compare, with the names its numbers go by. */
export interface FeatureNetwork {
  /** Part of every cache key and metrics line: which network the numbers come from. */
  id: string;
  /** What the UI, CLI and tables call the Fréchet distance and KID from this network. */
  names: { fd: string; kid: string };
  dim: number;
  /** Classes of its softmax (class accuracy, score), or 0 when it has none to offer. */
  classes: number;
  /** Images NHWC in [-1, 1] → features [N, dim] and, when it classifies, class probabilities [N, classes]. */
  embed(images: tf.Tensor4D): Promise<{ features: Float32Array; probs: Float32Array | null }>;
  dispose(): void;
}

/** The shipped digit classifier: FD and KID on its 128-d penultimate layer, accuracy and score from its softmax. */
export function digitFeatureNetwork(c: DigitClassifier): FeatureNetwork {
  return {
    id: DIGIT_CLASSIFIER.id,
    names: { fd: 'FD (digit classifier)', kid: 'KID (digit classifier)' },
    dim: DIGIT_CLASSIFIER.featureDim,
    classes: DIGIT_CLASSIFIER.classes,
    async embed(images) {
      const [features, probs] = tf.tidy(() => c.model.predict(toClassifierInput(images)) as tf.Tensor[]);
      try {
        const [f, p] = await Promise.all([features!.data(), probs!.data()]);
        return { features: f as Float32Array, probs: p as Float32Array };
      } finally {
        tf.dispose([features!, probs!]);
      }
    },
    dispose: () => c.dispose(),
  };
}

/**
 * FID's Inception-v3. Images are first quantised to 8 bits, as FID tools see them when reading saved samples and
 * dataset files, then taken to [0, 1].
 */
export function inceptionFeatureNetwork(net: FidInception): FeatureNetwork {
  return {
    id: FID_INCEPTION.id,
    names: { fd: 'FID', kid: 'KID' },
    dim: FID_INCEPTION.featureDim,
    classes: 0,
    async embed(images) {
      const features = tf.tidy(() =>
        net.features(tf.div(tf.round(tf.mul(tf.clipByValue(tf.add(images, 1), 0, 2), 127.5)), 255) as tf.Tensor4D),
      );
      try {
        return { features: (await features.data()) as Float32Array, probs: null };
      } finally {
        features.dispose();
      }
    },
    dispose: () => net.dispose(),
  };
}
