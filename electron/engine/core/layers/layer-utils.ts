import type * as tf from '@tensorflow/tfjs';
import { deriveSeed } from './seed-hash';

/** Constructor arguments every tfjs layer accepts (name, trainable, inputShape, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The keyword arguments tfjs passes to `call` (`training` among them). */
export type CallKwargs = Record<string, unknown>;

/** The initializer type `addWeight` takes (tfjs-layers does not export the class name itself). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** `addWeight` is protected; layers hand helpers this bound adder instead. */
export type AddWeight = (
  name: string,
  shape: number[],
  initializer: Initializer,
  trainable: boolean,
) => tf.LayerVariable;

/**
 * Whether a forward is a training one. Only an explicit `training: true` counts: tfjs passes the kwargs of
 * `model.apply(x, { training: true })` through to every layer, while `predict` passes `training: false`.
 */
export function isTraining(kwargs: CallKwargs | undefined): boolean {
  return kwargs?.training === true;
}

/** The one input tensor of a single-input layer (tfjs hands it over bare or as a one-element list). */
export function singleInput(inputs: tf.Tensor | tf.Tensor[], layerName: string): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) throw new Error(`Layer "${layerName}" takes one input but got ${inputs.length}.`);
  return inputs[0];
}

/** The two inputs [features, labels] of a label-taking layer. */
export function pairInput(inputs: tf.Tensor | tf.Tensor[], layerName: string): [tf.Tensor, tf.Tensor] {
  if (!Array.isArray(inputs) || inputs.length !== 2) {
    throw new Error(
      `Layer "${layerName}" takes two inputs [features, labels]; connect the class labels as its second input.`,
    );
  }
  return [inputs[0], inputs[1]];
}

/** Input shapes as a list, whether tfjs passes one shape or several. */
export function shapeList(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
  return Array.isArray(inputShape[0]) || inputShape.length === 0
    ? (inputShape as tf.Shape[])
    : [inputShape as tf.Shape];
}

/** The last (channel) dimension of a shape, which must be known to build weights. */
export function knownChannels(shape: tf.Shape, layerName: string): number {
  const c = shape[shape.length - 1];
  if (c == null)
    throw new Error(
      `Layer "${layerName}" needs a known channel count (last dimension), got shape [${shape.join(', ')}].`,
    );
  return c;
}

/** Seed for one weight (or part) of a layer, hashed from the layer's seed; undefined (unseeded) when it has none. */
export function subSeed(seed: number | null | undefined, slot: string | number): number | undefined {
  return seed == null ? undefined : deriveSeed(seed, slot);
}
