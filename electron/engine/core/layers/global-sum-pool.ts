import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from './layer-utils';
import { shapeList, singleInput } from './layer-utils';

/** [B, H, W, C] → [B, C], the sum over H and W (SNGAN/SAGAN D head; a sum, not a mean). */
export class GlobalSumPool extends tf.layers.Layer {
  static readonly className = 'SaganGlobalSumPool';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = shapeList(inputShape)[0];
    if (s.length !== 4)
      throw new Error(`GlobalSumPool "${this.name}" takes feature maps [B, H, W, C], got [${s.join(', ')}].`);
    return [s[0], s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.sum(singleInput(inputs, this.name), [1, 2]));
  }
}
tf.serialization.registerClass(GlobalSumPool);
