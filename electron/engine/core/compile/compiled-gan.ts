import type * as tf from '@tensorflow/tfjs';
import type { NetworkName } from '../../../../graph-schemas';

/** A self-attention layer the trainer can ask for γ and for the attention rows of chosen query pixels. */
export interface AttentionProbe {
  nodeId: string;
  network: NetworkName;
  /** The attention's own feature map (queries) and its key grid (pooled or full). */
  queryHeight: number;
  queryWidth: number;
  setQueries(indices: number[] | null): void;
  /** Rows of the softmax for the probed queries, [B, Q, keyHeight·keyWidth]; the caller disposes it. */
  takeMaps(): { maps: tf.Tensor3D; keyHeight: number; keyWidth: number } | null;
  /** γ's own variable (not a copy: read it, never dispose it). */
  gamma(): tf.Scalar;
}

/** A spectrally normalised weight whose σ estimate is logged per layer. */
export interface SpectralProbe {
  nodeId: string;
  network: NetworkName;
  layerName: string;
  /** σ of each normalised weight in the layer (no update); the caller disposes the scalars. */
  sigmas(): { name: string; sigma: tf.Scalar }[];
}

/** What the compiler makes of a document: two tfjs models and handles for what training streams. */
export interface CompiledGan {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  zDim: number;
  /** 0 = unconditional. */
  classes: number;
  /** Whether each network takes the label as its second input. */
  generatorTakesLabel: boolean;
  discriminatorTakesLabel: boolean;
  imageShape: [number, number, number];
  attention: AttentionProbe[];
  spectral: SpectralProbe[];
  dispose(): void;
}
