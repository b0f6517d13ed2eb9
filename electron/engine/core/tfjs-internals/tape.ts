import * as tf from '@tensorflow/tfjs';
import { assertTfjsVersion } from './version';

/** A node of tfjs-core's gradient tape, as the engine records it for each kernel run while a tape is active. */
export interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  /** Tensors the kernel's gradient saved in the forward pass (freed by us once the node's gradient has run). */
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

/**
 * The engine's gradient tape: members that are public in JavaScript but not in tfjs' typings, which
 * frugalVariableGrads drives to free memory during the backward pass (tf.variableGrads keeps it all to the end).
 */
export interface GradientTape {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  tidy<T>(name: string, f: () => T): T;
  /** Takes the next tensor id: every tensor made afterwards has a larger one. */
  nextTensorId(): number;
}

/** The engine as a GradientTape; throws when this tfjs is not the one the seam was written for, or lacks a member. */
export function gradientTape(): GradientTape {
  assertTfjsVersion();
  const e = tf.engine() as unknown as Partial<GradientTape>;
  const missing = (['startTape', 'endTape', 'scopedRun', 'tidy', 'nextTensorId'] as const).filter(
    (k) => typeof e[k] !== 'function',
  );
  if (e.state === undefined || typeof e.state.gradientDepth !== 'number') missing.push('state.gradientDepth' as never);
  if (missing.length > 0)
    throw new Error(
      `tfjs-core ${tf.version_core}'s engine lacks ${missing.join(', ')}: the gradient tape seam is broken.`,
    );
  return e as GradientTape;
}
