import { z } from 'zod';
import { defineBlock } from '../block';
import { asVector, error } from './common';

export const DiscriminatorOutput = defineBlock({
  type: 'DiscriminatorOutput',
  version: 1,
  title: 'Score',
  category: 'Outputs',
  description: "The discriminator's verdict: one real-vs-fake score per image (a logit, fed to the hinge loss).",
  networks: ['discriminator'],
  idStem: 'out',
  requiredInNetwork: 'exactly-one',
  params: z.object({}),
  inputs: [{ name: 'in', accepts: ['vector'], required: true, description: 'One score per image [1].' }],
  outputs: [],
  migrations: [],
  infer: ({ inputs }) => {
    const x = asVector(inputs.in);
    return x && x.shape[0] !== 1
      ? {
          outputs: {},
          params: 0,
          problems: [
            error(
              `The score must be one value per image (a vector [1]) but gets [${x.shape[0]}]. End D with a Projection head or a Linear with 1 unit.`,
              'in',
            ),
          ],
        }
      : { outputs: {}, params: 0, problems: [] };
  },
});
