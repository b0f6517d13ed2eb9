import { z } from 'zod';
import type { BlockProblem, InferOutput } from '../block';
import type { FeatureLike, PortValue, VectorLike } from '../ports';

/** Shared param fields, each with its range and help text. */
export const channelsParam = (help: string, def: number) =>
  z.number().int().min(1).max(8192).default(def).describe(help);
export const spectralNormParam = z
  .boolean()
  .default(true)
  .describe('Spectral normalisation of the weights (one power iteration per training step). SAGAN uses it in G and D.');
export const biasParam = z.boolean().default(true).describe('Add a learned bias.');

export function feature(h: number, w: number, c: number): PortValue {
  return { kind: 'feature', shape: [h, w, c] };
}

export function vector(d: number): PortValue {
  return { kind: 'vector', shape: [d] };
}

export function asFeature(v: PortValue | undefined): FeatureLike | undefined {
  return v && (v.kind === 'feature' || v.kind === 'image') ? v : undefined;
}

export function asVector(v: PortValue | undefined): VectorLike | undefined {
  return v && (v.kind === 'vector' || v.kind === 'noise') ? v : undefined;
}

/** Parameters of a k×k convolution, as PyTorch counts them. */
export function convParams(cin: number, cout: number, k: number, bias: boolean): number {
  return cin * cout * k * k + (bias ? cout : 0);
}

export function error(message: string, port?: string): BlockProblem {
  return port === undefined ? { severity: 'error', message } : { severity: 'error', message, port };
}

export function warning(message: string, port?: string): BlockProblem {
  return port === undefined ? { severity: 'warning', message } : { severity: 'warning', message, port };
}

/** Inference result when an input is missing: nothing downstream can be known, and the missing port is reported elsewhere. */
export const unknownOutput: InferOutput = { outputs: {}, params: 0, problems: [] };

export function needsEvenSize(h: number, w: number, what: string): BlockProblem | undefined {
  return h % 2 === 0 && w % 2 === 0
    ? undefined
    : error(`${what} halves the feature map, so it needs even height and width; it gets ${h}×${w}.`, 'in');
}
