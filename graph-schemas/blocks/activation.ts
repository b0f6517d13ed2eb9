import type { InferOutput } from '../block';
import type { PortValue } from '../ports';
import { unknownOutput } from './common';

/** Activations keep the shape of whatever flows in (feature map or vector). */
export function sameShape(inputs: Partial<Record<string, PortValue>>): InferOutput {
  const x = inputs.in;
  if (!x || x.kind === 'label') return unknownOutput;
  const out: PortValue =
    x.kind === 'feature' || x.kind === 'image'
      ? { kind: 'feature', shape: x.shape }
      : { kind: 'vector', shape: x.shape };
  return { outputs: { out }, params: 0, problems: [] };
}

export const activationPorts = {
  inputs: [
    { name: 'in', accepts: ['feature', 'vector'] as const, required: true, description: 'A feature map or vector.' },
  ],
  outputs: [{ name: 'out', kind: 'feature' as const, sameKindAs: 'in', description: 'Same shape as the input.' }],
};
