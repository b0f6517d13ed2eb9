import type { GraphDocument } from '../../../../graph-schemas';
import { findPreset } from '../../../../graph-schemas';

/**
 * A very small class-conditional SAGAN on MNIST (32×32), with every block kind the presets use, for tests that
 * must run many steps quickly: same structure as sagan-mnist, a few channels wide.
 */
export function tinyMnistDoc(overrides: Partial<GraphDocument['training']> = {}): GraphDocument {
  const doc = findPreset('sagan-mnist')!.build();
  const widths: Record<string, number> = { g_up1: 8, g_up2: 8, g_up3: 4, d_block1: 8, d_block2: 8, d_block3: 8 };
  for (const net of [doc.generator, doc.discriminator]) {
    for (const node of net.nodes) {
      if (node.id in widths) node.params.outChannels = widths[node.id];
      if (node.id === 'g_linear') node.params.units = 4 * 4 * 8;
      if (node.id === 'g_reshape') node.params.channels = 8;
      if (node.id === 'z') node.params.dim = 8;
    }
  }
  doc.name = 'Tiny MNIST test model';
  doc.training = { ...doc.training, batchSize: 4, steps: 8, sampleEvery: 4, checkpointEvery: 3, ...overrides };
  return doc;
}
