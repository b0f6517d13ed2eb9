import { z } from 'zod';
import { defineBlock } from '../block';
import type { BlockProblem } from '../block';
import { asFeature, error } from './common';

export const GeneratorOutput = defineBlock({
  type: 'GeneratorOutput',
  version: 1,
  title: 'Generated image',
  shortTitle: 'Output',
  category: 'Outputs',
  description:
    "The generator's image. It must match the dataset's size and channels, since D sees it beside real images.",
  networks: ['generator'],
  idStem: 'out',
  requiredInNetwork: 'exactly-one',
  params: z.object({}),
  inputs: [
    { name: 'in', accepts: ['feature'], required: true, description: 'Image H×W×C in [-1, 1] (end with Tanh).' },
  ],
  outputs: [],
  migrations: [],
  infer: ({ inputs, doc }) => {
    const x = asFeature(inputs.in);
    const problems: BlockProblem[] = [];
    if (x) {
      const [h, w, c] = x.shape;
      if (h !== doc.imageSize || w !== doc.imageSize || c !== doc.channels) {
        problems.push(
          error(
            `The generator makes ${h}×${w}×${c} images but the discriminator's image input (the dataset) is ${doc.imageSize}×${doc.imageSize}×${doc.channels}. ${
              h !== doc.imageSize || w !== doc.imageSize
                ? 'Add or remove up-blocks, or change the image size.'
                : `Make the last conv have ${doc.channels} filters.`
            }`,
            'in',
          ),
        );
      }
    }
    return { outputs: {}, params: 0, problems };
  },
});
