import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from './layer-utils';
import { shapeList, singleInput } from './layer-utils';

export interface UpsampleNearestArgs extends LayerArgs {
  /** How many times larger H and W become (SAGAN: 2). */
  factor?: number;
}

/**
 * Nearest-neighbour upsampling of [B, H, W, C] by an integer factor (torch F.interpolate(mode="nearest")).
 * Why not tf.layers.upSampling2d: it uses resizeNearestNeighbor, whose cpu gradient kernel in tfjs 4.22
 * indexes dy with the image's batch stride, so every sample after the first gets a wrong gradient.
 * Here the forward is resizeNearestNeighbor (correct everywhere, and fast on wasm, unlike Tile) and the
 * gradient is an explicit block sum (reshape + sum), which every backend computes correctly.
 */
export function upsampleNearest(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const f = factor;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor4D;
    return {
      value: tf.image.resizeNearestNeighbor(input, [h * f, w * f], false, false),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const rows = tf.sum((dy as tf.Tensor).reshape([b * h, f, w * f * c]), 1);
        return tf.sum(rows.reshape([b * h * w, f, c]), 1).reshape([b, h, w, c]);
      },
    };
  });
  return op(x) as tf.Tensor4D;
}

export class UpsampleNearest extends tf.layers.Layer {
  static readonly className = 'SaganUpsampleNearest';
  readonly factor: number;

  constructor(args: UpsampleNearestArgs = {}) {
    super(args);
    this.factor = args.factor ?? 2;
    if (!Number.isInteger(this.factor) || this.factor < 1)
      throw new Error(`UpsampleNearest "${this.name}": factor must be a positive integer, got ${this.factor}.`);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeList(inputShape)[0];
    if (s.length !== 4)
      throw new Error(`UpsampleNearest "${this.name}" takes feature maps [B, H, W, C], got [${s.join(', ')}].`);
    const scale = (d: number | null) => (d == null ? null : d * this.factor);
    return [s[0], scale(s[1]), scale(s[2]), s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => upsampleNearest(singleInput(inputs, this.name) as tf.Tensor4D, this.factor));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(UpsampleNearest);
