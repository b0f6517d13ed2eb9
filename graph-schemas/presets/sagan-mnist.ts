import type { GraphDocument } from '../document';
import { GRAPH_DOCUMENT_VERSION, GRAPH_FORMAT } from '../document';
import { NetworkBuilder, paperTraining } from './builder';

/**
 * A small class-conditional SAGAN for 32×32 grayscale digits, sized so that 1000 steps train in about a
 * quarter of an hour on a 2-core CPU and already draw recognisable digits of the requested classes.
 */
export function buildSaganMnist(): GraphDocument {
  const conv = { spectralNorm: true, bias: true };
  // No biases in G's linear and residual convs: spectral norm divides their weights by σ while Adam (β1 = 0) moves
  // unnormalised biases by ±lr every step, so at this size the biases took over and G collapsed onto one template
  // within 100 steps in every run with them; without them the samples stay diverse.
  const gConv = { spectralNorm: true, bias: false };
  const g = new NetworkBuilder('generator');
  g.side('z', 'NoiseInput', { dim: 64 });
  g.side('g_label', 'ClassLabelInput');
  g.add('g_linear', 'Linear', { units: 4 * 4 * 128, ...gConv }, { in: 'z' });
  g.add('g_reshape', 'Reshape', { height: 4, width: 4, channels: 128 }, { in: 'g_linear' });
  g.add('g_up1', 'ResBlockUp', { outChannels: 64, norm: 'cbn', ...gConv }, { in: 'g_reshape', label: 'g_label' });
  g.add('g_up2', 'ResBlockUp', { outChannels: 32, norm: 'cbn', ...gConv }, { in: 'g_up1', label: 'g_label' });
  g.add(
    'g_attention',
    'SelfAttention',
    { variant: 'official', keys: 'pooled', bias: false, spectralNorm: true },
    { in: 'g_up2' },
  );
  g.add('g_up3', 'ResBlockUp', { outChannels: 16, norm: 'cbn', ...gConv }, { in: 'g_attention', label: 'g_label' });
  g.imageHead('g_up3', 1);

  const d = new NetworkBuilder('discriminator');
  d.side('image', 'ImageInput');
  d.side('d_label', 'ClassLabelInput');
  d.add('d_block1', 'ResBlockDown', { outChannels: 16, optimized: true, ...conv }, { in: 'image' });
  d.add(
    'd_attention',
    'SelfAttention',
    { variant: 'official', keys: 'pooled', bias: false, spectralNorm: true },
    { in: 'd_block1' },
  );
  d.add('d_block2', 'ResBlockDown', { outChannels: 32, ...conv }, { in: 'd_attention' });
  d.add('d_block3', 'ResBlockDown', { outChannels: 64, ...conv }, { in: 'd_block2' });
  d.projectionScore('d_block3', 'd_label');

  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: 'SAGAN-MNIST',
    description:
      'A small class-conditional SAGAN for 32×32 grayscale digits (the built-in MNIST): attention at feat16 in G and D; trains on a laptop CPU.',
    provenance: {
      follows: 'custom',
      notes: [
        'Same building blocks as SAGAN-32 (residual up/down blocks, CBN, spectral norm everywhere, projection head, official-channel attention with pooled keys), with far fewer channels so it trains on a CPU.',
        "Unlike the reference, G's linear and residual convs have no biases: at this size, with spectral norm on the weights and β1 = 0 Adam, the biases dominated and G collapsed onto a single template within 100 steps; without them samples stay diverse.",
        "Training: hinge loss and Adam β1 = 0, β2 = 0.9 as in the paper, with a higher generator rate than TTUR's 1e-4 so digits form within 1000 steps.",
      ],
    },
    generator: g.build(),
    discriminator: d.build(),
    training: paperTraining({
      batchSize: 32,
      steps: 1000,
      sampleEvery: 100,
      checkpointEvery: 250,
      emaStart: 200,
      emaDecay: 0.999,
      lrG: 2e-4,
    }),
    dataset: { source: { kind: 'mnist' }, imageSize: 32, channels: 1, classes: 10 },
    blocks: [],
  };
}
