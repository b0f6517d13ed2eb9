import type { GraphDocument } from '../document';
import { GRAPH_DOCUMENT_VERSION, GRAPH_FORMAT } from '../document';
import { NetworkBuilder, paperTraining } from './builder';

export interface Sagan32Options {
  attention: boolean;
}

/**
 * SAGAN-32: exactly the PyTorch reference peer (../shared/reference/sagan_torch.py), so the engine can be
 * checked against it number for number. Without attention it is the paper's SNGAN-projection baseline.
 */
export function buildSagan32({ attention }: Sagan32Options): GraphDocument {
  const conv = { spectralNorm: true, bias: true };
  const g = new NetworkBuilder('generator');
  g.side('z', 'NoiseInput', { dim: 128 });
  g.side('g_label', 'ClassLabelInput');
  g.add('g_linear', 'Linear', { units: 4 * 4 * 256, ...conv }, { in: 'z' });
  g.add('g_reshape', 'Reshape', { height: 4, width: 4, channels: 256 }, { in: 'g_linear' });
  g.add('g_up1', 'ResBlockUp', { outChannels: 256, norm: 'cbn', ...conv }, { in: 'g_reshape', label: 'g_label' });
  g.add('g_up2', 'ResBlockUp', { outChannels: 256, norm: 'cbn', ...conv }, { in: 'g_up1', label: 'g_label' });
  let last = 'g_up2';
  if (attention)
    last = g.add(
      'g_attention',
      'SelfAttention',
      { variant: 'official', keys: 'full', bias: true, spectralNorm: true },
      { in: last },
    );
  g.add('g_up3', 'ResBlockUp', { outChannels: 256, norm: 'cbn', ...conv }, { in: last, label: 'g_label' });
  g.imageHead('g_up3', 3);

  const d = new NetworkBuilder('discriminator');
  d.side('image', 'ImageInput');
  d.side('d_label', 'ClassLabelInput');
  d.add('d_block1', 'ResBlockDown', { outChannels: 128, optimized: true, ...conv }, { in: 'image' });
  last = 'd_block1';
  if (attention)
    last = d.add(
      'd_attention',
      'SelfAttention',
      { variant: 'official', keys: 'full', bias: true, spectralNorm: true },
      { in: last },
    );
  d.add('d_block2', 'ResBlockDown', { outChannels: 128, ...conv }, { in: last });
  d.add('d_block3', 'ResBlock', { outChannels: 128, norm: 'none', ...conv }, { in: 'd_block2' });
  d.add('d_block4', 'ResBlock', { outChannels: 128, norm: 'none', ...conv }, { in: 'd_block3' });
  d.projectionScore('d_block4', 'd_label');

  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: attention ? 'SAGAN-32' : 'SNGAN-projection-32',
    description: attention
      ? 'Class-conditional SAGAN for 32×32 RGB images (CIFAR-10 size): attention at feat16 in G and D. Identical to the PyTorch reference peer, parameter for parameter.'
      : "The same model as SAGAN-32 without its two attention blocks: the paper's SNGAN-projection baseline.",
    provenance: {
      follows: 'reference-peer',
      notes: [
        'Architecture: exactly ../shared/reference/sagan_torch.py (G 4,386,756 and D 1,075,810 parameters with attention).',
        "Attention follows the official code's channels (query/key C/8, value C/2, output conv back to C) but without max-pooling of keys and with biases, as the reference peer does.",
        'Spectral norm on every conv and linear of G and D and on the projection embedding; CBN tables are plain embeddings (γ=1, β=0 at start).',
        "Training: the paper's TTUR — hinge loss, Adam β1=0, β2=0.9, lr_D 4e-4, lr_G 1e-4, one D step per G step.",
      ],
    },
    generator: g.build(),
    discriminator: d.build(),
    training: paperTraining({ batchSize: 64, steps: 100_000, sampleEvery: 500, checkpointEvery: 2000, emaStart: 1000 }),
    dataset: { source: { kind: 'folder', path: 'datasets/cifar10' }, imageSize: 32, channels: 3, classes: 10 },
    blocks: [],
  };
}
