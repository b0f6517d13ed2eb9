import * as tf from '@tensorflow/tfjs';
import type { Initializer } from './layer-utils';

/**
 * PyTorch's default initialisation of Conv2d/Linear (kaiming_uniform with a = √5, which works out to
 * U(−1/√fan_in, 1/√fan_in)), for the kernel and the bias alike. fan_in = kh·kw·in for a conv kernel
 * [kh, kw, in, out], in for a dense kernel [in, out]. Parity tests copy weights anyway; matching the
 * default keeps freshly built models statistically like the reference.
 */
export function torchUniform(fanIn: number, seed: number | undefined): Initializer {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}

/** nn.Embedding's default: N(0, 1). */
export function torchEmbedding(seed: number | undefined): Initializer {
  return tf.initializers.randomNormal({ mean: 0, stddev: 1, seed });
}

/** x / max(‖x‖₂, 1e-12), as torch.nn.functional.normalize. */
export function l2Normalize(x: tf.Tensor1D): tf.Tensor1D {
  return tf.div(x, tf.maximum(tf.norm(x), 1e-12));
}

/**
 * The spectral-norm vector u: N(0, 1) then L2-normalised, as torch.nn.utils.spectral_norm starts it.
 * Structurally an Initializer so `addWeight` can use it; never serialised (layer configs hold the seed).
 */
class UnitNormalInitializer extends tf.serialization.Serializable {
  static readonly className = 'SaganUnitNormal';
  constructor(private readonly seed: number | undefined) {
    super();
  }
  override getClassName(): string {
    return UnitNormalInitializer.className;
  }
  apply(shape: tf.Shape): tf.Tensor {
    return tf.tidy(() =>
      l2Normalize(
        tf.randomNormal([shape.reduce<number>((a, b) => a * (b ?? 1), 1)], 0, 1, 'float32', this.seed),
      ).reshape(shape as number[]),
    );
  }
  fromConfigUsesCustomObjects(): boolean {
    return false;
  }
  getConfig(): tf.serialization.ConfigDict {
    return { seed: this.seed ?? null };
  }
}

export function unitNormal(seed: number | undefined): Initializer {
  return new UnitNormalInitializer(seed) as unknown as Initializer;
}
