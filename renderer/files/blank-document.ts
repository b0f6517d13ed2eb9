import type { GraphDocument } from '../../graph-schemas';
import { GRAPH_DOCUMENT_VERSION, GRAPH_FORMAT, TrainingSchema } from '../../graph-schemas';

/** A new graph with only the ends of each network, ready for blocks from the palette; SAGAN's training setup. */
export function blankDocument(): GraphDocument {
  const adam = (lr: number) => ({ type: 'adam' as const, lr, beta1: 0, beta2: 0.9, epsilon: 1e-8 });
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_DOCUMENT_VERSION,
    name: 'Untitled GAN',
    description: '',
    generator: {
      nodes: [
        {
          id: 'z',
          type: 'NoiseInput',
          version: 1,
          params: { dim: 128, distribution: 'normal' },
          position: { x: -300, y: 0 },
        },
        { id: 'g_out', type: 'GeneratorOutput', version: 1, params: {}, position: { x: 0, y: 480 } },
      ],
      edges: [],
    },
    discriminator: {
      nodes: [
        { id: 'image', type: 'ImageInput', version: 1, params: {}, position: { x: 0, y: 0 } },
        { id: 'd_out', type: 'DiscriminatorOutput', version: 1, params: {}, position: { x: 0, y: 480 } },
      ],
      edges: [],
    },
    training: TrainingSchema.parse({ generatorOptimizer: adam(1e-4), discriminatorOptimizer: adam(4e-4) }),
    dataset: { source: { kind: 'mnist' }, imageSize: 32, channels: 1, classes: 10 },
    blocks: [],
  };
}
