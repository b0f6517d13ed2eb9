import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from './batch-norm';
import { ConditionalBatchNorm } from './conditional-batch-norm';
import { l2Normalize } from './init';
import { ProjectionHead } from './projection-head';
import { SelfAttention } from './self-attention';
import { SNConv2D } from './sn-conv2d';
import { SNDense } from './sn-dense';
import { SNEmbedding } from './sn-embedding';

/*
 * How our layers' weights correspond to PyTorch state_dict entries (torch.nn.utils.spectral_norm renames
 * `weight` to `weight_orig` and adds `weight_u`, `weight_v`).
 *   conv kernel    ours [kh, kw, in, out]  ↔ torch [out, in, kh, kw]
 *   linear kernel  ours [in, out]          ↔ torch [out, in]
 *   embeddings, biases, u, γ, BN vectors: same layout.
 * Our `u` is torch's `weight_u` as is (both R^out; R^numClasses for embeddings). torch's `weight_v` has
 * no counterpart (we recompute v); when exporting to torch compute it with torchSpectralV.
 * BatchNorm's `num_batches_tracked` has none either (unused with a fixed momentum).
 */

export type TorchLayout = 'conv-kernel' | 'linear-kernel' | 'same';

export interface TorchWeight {
  /** Our weight name inside the layer (`kernel`, `query/u`, ...); the full name is `<layer name>/<weight>`. */
  weight: string;
  /** The state_dict key relative to the torch module that corresponds to the layer. */
  torch: string;
  layout: TorchLayout;
}

function snWeights(
  sn: boolean,
  kernel: string,
  torchModule: string,
  layout: TorchLayout,
  bias: boolean,
  prefix = '',
): TorchWeight[] {
  const m = torchModule === '' ? '' : `${torchModule}.`;
  const out: TorchWeight[] = [{ weight: `${prefix}${kernel}`, torch: `${m}${sn ? 'weight_orig' : 'weight'}`, layout }];
  if (bias) out.push({ weight: `${prefix}bias`, torch: `${m}bias`, layout: 'same' });
  if (sn) out.push({ weight: `${prefix}u`, torch: `${m}weight_u`, layout: 'same' });
  return out;
}

/** Torch modules of the reference SelfAttention (f = query, g = key, h = value, o = out). */
const ATTENTION_TORCH_MODULES = { query: 'f', key: 'g', value: 'h', out: 'o' } as const;

/** The torch counterparts of one layer's weights; [] for layers without weights. Throws for an unknown weighted layer. */
export function torchWeightsOf(layer: tf.layers.Layer): TorchWeight[] {
  if (layer instanceof SNConv2D) return snWeights(layer.spectralNorm, 'kernel', '', 'conv-kernel', layer.useBias);
  if (layer instanceof SNDense) return snWeights(layer.spectralNorm, 'kernel', '', 'linear-kernel', layer.useBias);
  if (layer instanceof SNEmbedding) return snWeights(layer.spectralNorm, 'embeddings', '', 'same', false);
  if (layer instanceof SelfAttention) {
    const projections = Object.entries(ATTENTION_TORCH_MODULES).flatMap(([ours, torch]) =>
      snWeights(layer.spectralNorm, 'kernel', torch, 'conv-kernel', layer.useBias, `${ours}/`),
    );
    return [...projections, { weight: 'gamma', torch: 'gamma', layout: 'same' }];
  }
  if (layer instanceof BatchNorm) {
    return [
      { weight: 'gamma', torch: 'weight', layout: 'same' },
      { weight: 'beta', torch: 'bias', layout: 'same' },
      { weight: 'running_mean', torch: 'running_mean', layout: 'same' },
      { weight: 'running_var', torch: 'running_var', layout: 'same' },
    ];
  }
  if (layer instanceof ConditionalBatchNorm) {
    return [
      { weight: 'gamma_embedding', torch: 'gamma.weight', layout: 'same' },
      { weight: 'beta_embedding', torch: 'beta.weight', layout: 'same' },
      { weight: 'running_mean', torch: 'bn.running_mean', layout: 'same' },
      { weight: 'running_var', torch: 'bn.running_var', layout: 'same' },
    ];
  }
  if (layer instanceof ProjectionHead) {
    return [
      ...snWeights(layer.spectralNorm, 'kernel', 'lin', 'linear-kernel', layer.useBias, 'linear/'),
      ...snWeights(layer.spectralNorm, 'embeddings', 'emb', 'same', false, 'embedding/'),
    ];
  }
  if (layer.weights.length === 0) return [];
  throw new Error(
    `No PyTorch mapping for layer "${layer.name}" (${layer.getClassName()}); add one in torch-mapping.ts.`,
  );
}

export interface TorchStateDictEntry {
  /** Our full weight name (`b1/conv1/kernel`), as in model.getWeights() order and saved weight specs. */
  name: string;
  torchKey: string;
  layout: TorchLayout;
  variable: tf.LayerVariable;
}

/** Every weight of a model with its torch key; `torchPrefix` gives the torch module path (with trailing dot) of a layer. */
export function torchStateDictEntries(
  model: tf.LayersModel,
  torchPrefix: (layerName: string) => string,
): TorchStateDictEntry[] {
  return model.layers.flatMap((layer) => {
    const byName = new Map(layer.weights.map((w) => [w.originalName, w]));
    return torchWeightsOf(layer).map((m) => {
      const name = `${layer.name}/${m.weight}`;
      const variable = byName.get(name);
      if (!variable)
        throw new Error(`Layer "${layer.name}" has no weight "${name}"; the PyTorch mapping is out of date.`);
      return { name, torchKey: `${torchPrefix(layer.name)}${m.torch}`, layout: m.layout, variable };
    });
  });
}

/** Our layout → torch layout. */
export function toTorchLayout(t: tf.Tensor, layout: TorchLayout): tf.Tensor {
  if (layout === 'conv-kernel') return tf.transpose(t, [3, 2, 0, 1]);
  if (layout === 'linear-kernel') return tf.transpose(t);
  return t.clone();
}

/** Torch layout → ours. */
export function fromTorchLayout(t: tf.Tensor, layout: TorchLayout): tf.Tensor {
  if (layout === 'conv-kernel') return tf.transpose(t, [2, 3, 1, 0]);
  if (layout === 'linear-kernel') return tf.transpose(t);
  return t.clone();
}

/** torch's `weight_v` for a weight in torch layout (first axis = out) and its u: normalize(W_matᵀ u), W_mat = W as [out, -1]. */
export function torchSpectralV(weightTorchLayout: tf.Tensor, u: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const mat = weightTorchLayout.reshape([weightTorchLayout.shape[0], -1]) as tf.Tensor2D;
    return l2Normalize(tf.matMul(mat, u.reshape([-1, 1]), true, false).reshape([-1]));
  });
}
