import * as tf from '@tensorflow/tfjs';

/**
 * The small CNN that scores digit-like samples (MNIST-style, 1 or 3 channels): its 128-d penultimate features
 * give FD and KID, its softmax the class accuracy and an Inception-Score-style score. It is NOT Inception-v3, so
 * its numbers are named "FD (digit classifier)" etc., never FID. Trained by scripts/train-digit-classifier.ts on
 * the built-in MNIST with 2,000 digits held out; the weights ship in electron/engine/node/metrics/.
 */
export const DIGIT_CLASSIFIER = {
  id: 'digit-classifier-v1',
  label: 'digit classifier',
  size: 32,
  classes: 10,
  featureDim: 128,
} as const;

/** The trainable layers in order, each named so the weight file maps onto them by name. */
const LAYERS = ['conv1', 'conv2', 'conv3', 'features', 'logits'] as const;

export interface DigitClassifier {
  /** Image [N,32,32,1] in [-1,1] → { features [N,128], probs [N,10] }. */
  readonly model: tf.LayersModel;
  /** Image → logits, for training. */
  readonly trainModel: tf.LayersModel;
  dispose(): void;
}

/**
 * conv3×3(32)–pool–conv3×3(64)–pool–conv3×3(64)–pool–dense(128)–dense(10): 188k parameters, about 99% on
 * held-out MNIST digits. Initialisers are seeded per layer, so a seed fixes the starting weights.
 */
export function buildDigitClassifier(seed = 0): DigitClassifier {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed * 16 + k });
  const input = tf.input({ shape: [DIGIT_CLASSIFIER.size, DIGIT_CLASSIFIER.size, 1], name: 'image' });
  let x: tf.SymbolicTensor = input;
  [32, 64, 64].forEach((filters, i) => {
    const conv = tf.layers.conv2d({
      name: LAYERS[i],
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(i),
    });
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `pool${i + 1}` }).apply(conv.apply(x)) as tf.SymbolicTensor;
  });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const features = tf.layers
    .dense({ name: 'features', units: DIGIT_CLASSIFIER.featureDim, activation: 'relu', kernelInitializer: init(3) })
    .apply(x) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ name: 'logits', units: DIGIT_CLASSIFIER.classes, kernelInitializer: init(4) })
    .apply(features) as tf.SymbolicTensor;
  const probs = tf.layers.softmax({ name: 'probs' }).apply(logits) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: [features, probs], name: 'digit_classifier' });
  const trainModel = tf.model({ inputs: input, outputs: logits, name: 'digit_classifier_train' });
  return { model, trainModel, dispose: () => model.dispose() };
}

/** The classifier's weights by "layer/kernel" or "layer/bias", as the shipped weight file names them. */
export function classifierWeights(c: DigitClassifier): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const name of LAYERS) {
    const [kernel, bias] = c.model.getLayer(name).getWeights();
    out.set(`${name}/kernel`, kernel!);
    out.set(`${name}/bias`, bias!);
  }
  return out;
}

/** Loads weights named as classifierWeights names them; every one must be there with its shape. */
export function setClassifierWeights(
  c: DigitClassifier,
  weights: Map<string, { shape: number[]; data: Float32Array }>,
) {
  for (const name of LAYERS) {
    const layer = c.model.getLayer(name);
    const values = layer.getWeights().map((w, i) => {
      const key = `${name}/${i === 0 ? 'kernel' : 'bias'}`;
      const v = weights.get(key);
      if (!v) throw new Error(`The digit classifier's weight file has no "${key}"; reinstall SAGAN Studio.`);
      if (v.shape.join(',') !== w.shape.join(','))
        throw new Error(`The digit classifier's "${key}" is [${v.shape}] in the weight file but [${w.shape}] here.`);
      return tf.tensor(v.data, v.shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

/**
 * Brings generated or real images (NHWC in [-1,1], any size, 1 or 3 channels) to the classifier's 32×32 grey
 * input the way the built-in MNIST frames digits: 28–31 px are centred on a background border (as the loader
 * pads them), anything else is resized bilinearly (the loader scales its 32×32 frame to other sizes); colour is
 * averaged to grey. The result is owned by the caller.
 */
export function toClassifierInput(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w, c] = images.shape;
    let x: tf.Tensor4D = c === 1 ? images : (tf.mean(images, 3, true) as tf.Tensor4D);
    const S = DIGIT_CLASSIFIER.size;
    if (h === S && w === S) return c === 1 ? x.clone() : x;
    if (h === w && h >= 28 && h < S) {
      const before = 2 - Math.floor((h - 28) / 2); // the loader puts the 28×28 digit 2 px in on a 32 frame
      x = tf.pad(
        x,
        [
          [0, 0],
          [before, S - h - before],
          [before, S - h - before],
          [0, 0],
        ],
        -1,
      );
    } else x = tf.image.resizeBilinear(x, [S, S], false, true);
    return x;
  });
}
