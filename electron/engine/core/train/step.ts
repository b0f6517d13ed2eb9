import * as tf from '@tensorflow/tfjs';
import type { CompiledGan } from '../compile/compiled-gan';
import { discriminatorInputs, generatorInputs, labelTensor } from '../model/inputs';
import { readArrays } from '../model/weights';
import type { Objective } from './losses';
import { frugalVariableGrads } from './frugal-grads';
import { discriminatorLoss, generatorLoss } from './losses';
import type { BatchSource, RandomSource } from './rng-source';

export interface IterationSettings {
  objective: Objective;
  dStepsPerGStep: number;
  batchSize: number;
  /** Also hand back D's scores on the last D step's real and generated images (for histograms). */
  collectScores?: boolean;
}

export interface Optimizers {
  generator: tf.Optimizer;
  discriminator: tf.Optimizer;
}

export interface IterationResult {
  lossD: number;
  lossDReal: number;
  lossDFake: number;
  lossG: number;
  realScores?: Float32Array;
  fakeScores?: Float32Array;
}

const trainableVariables = (model: tf.LayersModel) => model.trainableWeights.map((w) => w.read() as tf.Variable);

/**
 * One training iteration, as the PyTorch reference does it: `dStepsPerGStep` D steps (G forward in training
 * mode without gradients, then one D forward on real and generated images together), then one G step through
 * D (D's weights get no gradients). Every tensor made here is disposed before it returns. The losses (and scores)
 * come back in one asynchronous read at the end, the only time the iteration waits for the backend.
 */
export async function trainIteration(
  gan: CompiledGan,
  optimizers: Optimizers,
  data: BatchSource,
  rng: RandomSource,
  s: IterationSettings,
): Promise<IterationResult> {
  const B = s.batchSize;
  const classes = Math.max(gan.classes, 1);
  const dVars = trainableVariables(gan.discriminator);
  const gVars = trainableVariables(gan.generator);
  let lossParts: tf.Tensor | null = null;
  let scores: { real: tf.Tensor; fake: tf.Tensor } | null = null;

  for (let k = 0; k < s.dStepsPerGStep; k++) {
    const real = data.next(B);
    const z = rng.normal(B * gan.zDim);
    const fakeLabels = rng.ints(B, classes);
    const last = k === s.dStepsPerGStep - 1;
    tf.tidy(() => {
      const yFake = labelTensor(fakeLabels);
      const yReal = labelTensor(real.labels);
      // Its own tidy: G's layer outputs (kept by tfjs-layers in training mode) are freed before D's pass starts.
      const fake = tf.tidy(
        () =>
          gan.generator.apply(generatorInputs(gan, tf.tensor2d(z, [B, gan.zDim]), yFake), {
            training: true,
          }) as tf.Tensor4D,
      );
      const images = tf.concat([tf.tensor4d(real.images, real.shape), fake], 0);
      const labels = tf.concat([yReal, yFake], 0) as tf.Tensor2D;
      const { grads, value } = frugalVariableGrads(() => {
        const d = (
          gan.discriminator.apply(discriminatorInputs(gan, images, labels), { training: true }) as tf.Tensor
        ).reshape([2 * B]);
        const [dReal, dFake] = tf.split(d, 2);
        const loss = discriminatorLoss(s.objective, dReal!, dFake!);
        if (last) {
          lossParts?.dispose();
          lossParts = tf.keep(tf.stack([loss.total, loss.real, loss.fake]));
          if (s.collectScores) scores = { real: tf.keep(dReal!.clone()), fake: tf.keep(dFake!.clone()) };
        }
        return loss.total;
      }, dVars);
      value.dispose();
      optimizers.discriminator.applyGradients(grads);
      tf.dispose(grads);
    });
  }

  const z = rng.normal(B * gan.zDim);
  const labels = rng.ints(B, classes);
  const lossG = tf.tidy(() => {
    const y = labelTensor(labels);
    const { grads, value } = frugalVariableGrads(() => {
      const fake = gan.generator.apply(generatorInputs(gan, tf.tensor2d(z, [B, gan.zDim]), y), {
        training: true,
      }) as tf.Tensor4D;
      const d = gan.discriminator.apply(discriminatorInputs(gan, fake, y), { training: true }) as tf.Tensor;
      return generatorLoss(s.objective, d);
    }, gVars);
    optimizers.generator.applyGradients(grads);
    tf.dispose(grads);
    return value;
  });

  const kept = scores as { real: tf.Tensor; fake: tf.Tensor } | null;
  // One read for everything the step reports: [lossD, lossDReal, lossDFake, lossG, real scores…, fake scores…].
  const all = tf.tidy(() => tf.concat([lossParts!, lossG.reshape([1]), ...(kept ? [kept.real, kept.fake] : [])]));
  tf.dispose([lossG, lossParts!, ...(kept ? [kept.real, kept.fake] : [])]);
  const [values] = await readArrays([all]).finally(() => all.dispose());
  const v = values!;
  const result: IterationResult = { lossD: v[0]!, lossDReal: v[1]!, lossDFake: v[2]!, lossG: v[3]! };
  if (kept) {
    result.realScores = v.slice(4, 4 + B);
    result.fakeScores = v.slice(4 + B, 4 + 2 * B);
  }
  return result;
}

/** Adam per network with the document's settings (TTUR: separate rates for G and D). */
export function makeOptimizers(
  g: { lr: number; beta1: number; beta2: number; epsilon: number },
  d: { lr: number; beta1: number; beta2: number; epsilon: number },
): Optimizers {
  return {
    generator: tf.train.adam(g.lr, g.beta1, g.beta2, g.epsilon),
    discriminator: tf.train.adam(d.lr, d.beta1, d.beta2, d.epsilon),
  };
}
