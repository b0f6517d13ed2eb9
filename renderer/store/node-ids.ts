import type { GraphDocument, NetworkName } from '../../graph-schemas';

/** Short, readable id stems, in the style the presets use (g_attention, d_block2). */
const stems: Record<string, string> = {
  NoiseInput: 'z',
  ClassLabelInput: 'label',
  ImageInput: 'image',
  Linear: 'linear',
  Reshape: 'reshape',
  Conv2D: 'conv',
  ResBlockUp: 'up',
  ResBlockDown: 'block',
  ResBlock: 'block',
  SelfAttention: 'attention',
  BatchNorm: 'bn',
  ConditionalBatchNorm: 'cbn',
  ReLU: 'relu',
  LeakyReLU: 'lrelu',
  Tanh: 'tanh',
  Upsample: 'upsample',
  AvgPool: 'pool',
  GlobalSumPool: 'sum',
  ProjectionHead: 'projection',
  GeneratorOutput: 'out',
  DiscriminatorOutput: 'out',
};

export function allNodeIds(doc: GraphDocument): Set<string> {
  return new Set([...doc.generator.nodes, ...doc.discriminator.nodes].map((n) => n.id));
}

/** A new node id unique across both networks (the validator refuses ids shared between G and D). */
export function newNodeId(taken: Set<string>, network: NetworkName, type: string): string {
  const stem = `${network === 'generator' ? 'g' : 'd'}_${stems[type] ?? type.toLowerCase()}`;
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}${i}`)) return `${stem}${i}`;
}
