import * as tf from '@tensorflow/tfjs';

/** x / max(‖x‖₂, 1e-12), as torch.nn.functional.normalize. */
function l2normalize(x: tf.Tensor1D): tf.Tensor1D {
  return tf.div(x, tf.maximum(tf.norm(x), 1e-12));
}

/**
 * Spectral normalisation of a weight matrix K [n, out] with the persistent vector u ∈ R^out, following
 * PyTorch's torch.nn.utils.spectral_norm (the reference peer): in training, one power iteration
 * v = normalize(K u), u = normalize(Kᵀ v), then σ = vᵀ K u with u and v held constant, and K/σ.
 * (The official TF code updates D's u on the real pass only; we follow the peer, which updates on every
 * training forward.) At inference there is no update: σ comes from the stored u, with v = normalize(K u);
 * PyTorch would use its stored v there, so eval outputs can differ slightly, training ones do not.
 *
 * Written as a custom gradient so the power iteration stays off the tape and dK is exact:
 * d(K/σ)/dK · G = G/σ − ⟨G, K⟩/σ² · v uᵀ.
 */
export function spectralNormalize(k: tf.Tensor2D, u: tf.Tensor1D, update: boolean): { weight: tf.Tensor2D; newU: tf.Tensor1D | null } {
  let newU: tf.Tensor1D | null = null;
  const forward = (kIn: tf.Tensor, uIn: tf.Tensor, save: tf.GradSaveFunc) => {
    const k2 = kIn as tf.Tensor2D;
    const v = l2normalize(tf.matMul(k2, (uIn as tf.Tensor1D).reshape([-1, 1])).reshape([-1]) as tf.Tensor1D);
    const uNext = update ? l2normalize(tf.matMul(v.reshape([1, -1]), k2).reshape([-1]) as tf.Tensor1D) : (uIn as tf.Tensor1D);
    const sigma = tf.dot(tf.matMul(v.reshape([1, -1]), k2).reshape([-1]), uNext) as tf.Scalar;
    if (update) newU = tf.keep(uNext.clone());
    save([k2, v, uNext, sigma]);
    return {
      value: tf.div(k2, sigma),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [ks, vs, us, s] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Scalar];
        const g = dy as tf.Tensor2D;
        const inner = tf.sum(tf.mul(g, ks));
        const outer = tf.outerProduct(vs, us);
        const dk = tf.sub(tf.div(g, s), tf.mul(tf.div(inner, tf.square(s)), outer));
        return [dk, tf.zerosLike(us)];
      },
    };
  };
  const normalize = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  const weight = normalize(k, u) as tf.Tensor2D;
  return { weight, newU };
}

/** σ estimate from the stored u without updating it (for the per-layer logs). */
export function spectralSigma(k: tf.Tensor2D, u: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const v = l2normalize(tf.matMul(k, u.reshape([-1, 1])).reshape([-1]) as tf.Tensor1D);
    return tf.dot(tf.matMul(v.reshape([1, -1]), k).reshape([-1]), u) as tf.Scalar;
  });
}

/** A deterministic seed per weight, from the run's seed and the layer's name. */
export function weightSeed(base: number, name: string): number {
  let h = 2166136261 ^ base;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 0) % 2147483647;
}

/** PyTorch's default init for conv/linear weights and biases: U(−1/√fan_in, 1/√fan_in). */
export function torchDefaultInit(fanIn: number, seed: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/** u starts as a normalised standard-normal vector, as in PyTorch: add it with this initialiser, then normaliseInPlace. */
export const spectralVectorInit = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 1, seed });

export function normaliseInPlace(u: tf.LayerVariable): tf.LayerVariable {
  u.write(tf.tidy(() => l2normalize(u.read() as tf.Tensor1D)));
  return u;
}
