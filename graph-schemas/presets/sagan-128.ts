import type { GraphDocument } from '../document';
import { GRAPH_DOCUMENT_VERSION, GRAPH_FORMAT } from '../document';
import { NetworkBuilder, paperTraining } from './builder';

export type AttentionPlacement = 8 | 16 | 32 | 64;

/** FID on ImageNet 128×128 from the paper's Table 1 (SAGAN with attention at that feature map). */
const paperFid: Record<AttentionPlacement, string> = { 8: '22.98', 16: '22.96', 32: '18.28', 64: '18.65' };

/**
 * The official 128×128 SAGAN (authors' TF code, ch = 64) with attention at the chosen feature map.
 * feat32 is the model the paper reports; the others are its Table 1 ablation.
 */
export function buildSagan128(at: AttentionPlacement): GraphDocument {
  const conv = { spectralNorm: true, bias: true };
  const attention = { variant: 'official', keys: 'pooled', bias: false, spectralNorm: true } as const;
  const g = new NetworkBuilder('generator');
  g.side('z', 'NoiseInput', { dim: 128 });
  g.side('g_label', 'ClassLabelInput');
  g.add('g_linear', 'Linear', { units: 4 * 4 * 1024, ...conv }, { in: 'z' });
  let last = g.add('g_reshape', 'Reshape', { height: 4, width: 4, channels: 1024 }, { in: 'g_linear' });
  const gWidths: [number, number][] = [
    [1024, 8],
    [512, 16],
    [256, 32],
    [128, 64],
    [64, 128],
  ];
  gWidths.forEach(([channels, size], i) => {
    last = g.add(
      `g_up${i + 1}`,
      'ResBlockUp',
      { outChannels: channels, norm: 'cbn', ...conv },
      { in: last, label: 'g_label' },
    );
    if (size === at) last = g.add('g_attention', 'SelfAttention', attention, { in: last });
  });
  g.imageHead(last, 3);

  const d = new NetworkBuilder('discriminator');
  d.side('image', 'ImageInput');
  d.side('d_label', 'ClassLabelInput');
  last = d.add('d_block1', 'ResBlockDown', { outChannels: 64, optimized: true, ...conv }, { in: 'image' });
  if (at === 64) last = d.add('d_attention', 'SelfAttention', attention, { in: last });
  const dWidths: [number, number][] = [
    [128, 32],
    [256, 16],
    [512, 8],
    [1024, 4],
  ];
  dWidths.forEach(([channels, size], i) => {
    last = d.add(`d_block${i + 2}`, 'ResBlockDown', { outChannels: channels, ...conv }, { in: last });
    if (size === at) last = d.add('d_attention', 'SelfAttention', attention, { in: last });
  });
  d.add('d_block6', 'ResBlock', { outChannels: 1024, norm: 'none', ...conv }, { in: last });
  d.projectionScore('d_block6', 'd_label');

  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: at === 32 ? 'SAGAN-128' : `SAGAN-128, attention at feat${at}`,
    description:
      at === 32
        ? 'The official 128×128 ImageNet SAGAN: attention at feat32 in G and D, TTUR. Paper: FID 18.28 with attention here (Table 1).'
        : `Ablation of SAGAN-128 (paper Table 1): attention at feat${at} in G and D instead of feat32; the paper reports FID ${paperFid[at]} for this placement (feat32: 18.28).`,
    provenance: {
      follows: 'mixed',
      notes: [
        'Architecture follows the official code (brain-research/self-attention-gan, ch = 64): G widths 1024-1024-512-256-128-64 from 4×4, D widths 64-128-256-512-1024-1024, projection head.',
        'Attention follows the official code, not the paper: query/key 1×1 convs to C/8, value to C/2, keys and values 2×2 max-pooled, 1×1 output conv back to C, no biases, γ starts at 0.',
        "Training follows the paper (TTUR): Adam β1 = 0, β2 = 0.9, lr_D 4e-4, lr_G 1e-4, one D step per G step, batch 256. The official code leaves β2 at 0.999; the paper's value is used because the paper attributes its stability to TTUR.",
        `The paper places attention at feat8, feat16, feat32 and feat64 in its ablation and reports FID ${paperFid[at]} for feat${at}.`,
      ],
    },
    generator: g.build(),
    discriminator: d.build(),
    training: paperTraining({
      batchSize: 256,
      steps: 1_000_000,
      sampleEvery: 1000,
      checkpointEvery: 5000,
      emaStart: 20000,
    }),
    dataset: { source: { kind: 'folder', path: 'datasets/imagenet-128' }, imageSize: 128, channels: 3, classes: 1000 },
    blocks: [],
  };
}
