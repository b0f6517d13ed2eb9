import type { NamedArray } from '../../core/model/weights';
import type { BundleTensor } from '../tensor-bundle';
import type { WeightLayout } from './emitter';
import { engineToTorch, torchToEngine } from './layout';
import type { ExportPlan, NetworkPlan } from './plan';

/**
 * The correspondence between the engine's weights ("generator/<nodeId>/<weight>", as checkpoints store them, and
 * "ema/<nodeId>/<weight>" for G's moving average) and the exported modules' state_dict keys in a bundle
 * ("G.<attr>.<param>", "D.…", "G_ema.…"), from each block's emitter.
 */
export interface StateLink {
  /** null for torch-only counters. */
  engineKey: string | null;
  torchKey: string;
  layout: WeightLayout;
  network: 'generator' | 'discriminator';
  nodeId: string;
}

function networkLinks(plan: NetworkPlan): StateLink[] {
  return plan.nodes.flatMap((n) => {
    if (n.emitted.role !== 'module') return [];
    return n.emitted.weights.map((w) => ({
      engineKey: w.engine === null ? null : `${plan.network}/${n.id}/${w.engine}`,
      torchKey: `${plan.prefix}.${n.attr}.${w.torch}`,
      layout: w.layout,
      network: plan.network,
      nodeId: n.id,
    }));
  });
}

export function stateLinks(plan: ExportPlan): StateLink[] {
  return [...networkLinks(plan.generator), ...networkLinks(plan.discriminator)];
}

const EMA_ENGINE = (engineKey: string) => `ema/${engineKey.slice('generator/'.length)}`;
const EMA_TORCH = (torchKey: string) => `G_ema.${torchKey.slice('G.'.length)}`;

/** Engine weights (and G's EMA when present for every weight) → a bundle of torch tensors. */
export function torchStateFromEngine(
  plan: ExportPlan,
  weights: ReadonlyMap<string, NamedArray>,
): { tensors: Map<string, BundleTensor>; ema: boolean } {
  const links = stateLinks(plan);
  const tensors = new Map<string, BundleTensor>();
  const float = (t: NamedArray, layout: WeightLayout): BundleTensor => {
    const moved = engineToTorch(t, layout);
    return { dtype: 'float32', shape: moved.shape, data: moved.data };
  };
  for (const l of links) {
    if (l.engineKey === null) {
      tensors.set(l.torchKey, { dtype: 'int64', shape: [], data: new Int32Array(1) });
      continue;
    }
    const t = weights.get(l.engineKey);
    if (!t)
      throw new Error(
        `The checkpoint has no weight "${l.engineKey}" (node "${l.nodeId}"); it was saved from a different graph.`,
      );
    tensors.set(l.torchKey, float(t, l.layout));
  }
  const emaLinks = links.filter((l) => l.network === 'generator' && l.engineKey !== null);
  const ema = emaLinks.length > 0 && emaLinks.every((l) => weights.has(EMA_ENGINE(l.engineKey!)));
  if (ema)
    for (const l of emaLinks)
      tensors.set(EMA_TORCH(l.torchKey), float(weights.get(EMA_ENGINE(l.engineKey!))!, l.layout));
  return { tensors, ema };
}

/**
 * A bundle of torch tensors (G.*, D.*, optional G_ema.*) → engine weights. Refuses missing tensors, unknown
 * ones and wrong shapes, naming the tensor and its node.
 */
export function engineWeightsFromTorch(
  plan: ExportPlan,
  tensors: ReadonlyMap<string, BundleTensor>,
  source: string,
): { weights: Map<string, NamedArray>; ema: boolean } {
  const links = stateLinks(plan);
  const known = new Set(links.map((l) => l.torchKey));
  const emaLinks = links.filter((l) => l.network === 'generator' && l.engineKey !== null);
  const hasEma = [...tensors.keys()].some((k) => k.startsWith('G_ema.'));
  if (hasEma) for (const l of emaLinks) known.add(EMA_TORCH(l.torchKey));
  const unknown = [...tensors.keys()].filter((k) => !known.has(k));
  if (unknown.length) {
    throw new Error(
      `${source} holds ${unknown.length} tensor${unknown.length === 1 ? '' : 's'} this graph does not have (${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}); was it trained from another graph?`,
    );
  }
  const weights = new Map<string, NamedArray>();
  const take = (torchKey: string, engineKey: string, layout: WeightLayout, nodeId: string) => {
    const t = tensors.get(torchKey);
    if (!t)
      throw new Error(`${source} has no tensor "${torchKey}" (node "${nodeId}"); was it trained from another graph?`);
    if (t.dtype !== 'float32') throw new Error(`${source}: tensor "${torchKey}" is ${t.dtype}; expected float32.`);
    weights.set(engineKey, torchToEngine({ shape: t.shape, data: t.data as Float32Array }, layout));
  };
  for (const l of links) if (l.engineKey !== null) take(l.torchKey, l.engineKey, l.layout, l.nodeId);
  if (hasEma) for (const l of emaLinks) take(EMA_TORCH(l.torchKey), EMA_ENGINE(l.engineKey!), l.layout, l.nodeId);
  return { weights, ema: hasEma };
}
