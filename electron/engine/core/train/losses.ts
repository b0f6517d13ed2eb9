import * as tf from '@tensorflow/tfjs';

export type Objective = 'hinge' | 'non-saturating';

export interface DiscriminatorLoss {
  total: tf.Scalar;
  /** The part from real images (hinge: mean relu(1 − D(x))). */
  real: tf.Scalar;
  /** The part from generated images (hinge: mean relu(1 + D(G(z)))). */
  fake: tf.Scalar;
}

/** D's loss on its scores for real and generated images; both terms kept apart for the curves. */
export function discriminatorLoss(
  objective: Objective,
  realScores: tf.Tensor,
  fakeScores: tf.Tensor,
): DiscriminatorLoss {
  const real = objective === 'hinge' ? tf.relu(tf.sub(1, realScores)).mean() : tf.softplus(tf.neg(realScores)).mean();
  const fake = objective === 'hinge' ? tf.relu(tf.add(1, fakeScores)).mean() : tf.softplus(fakeScores).mean();
  return { total: tf.add(real, fake) as tf.Scalar, real: real as tf.Scalar, fake: fake as tf.Scalar };
}

/** G's loss on D's scores for its images: hinge −mean D(G(z)); non-saturating mean softplus(−D(G(z))). */
export function generatorLoss(objective: Objective, fakeScores: tf.Tensor): tf.Scalar {
  return (objective === 'hinge' ? tf.neg(fakeScores.mean()) : tf.softplus(tf.neg(fakeScores)).mean()) as tf.Scalar;
}
