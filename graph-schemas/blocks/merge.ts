import type { BlockCost, BlockProblem, InputPortSpec } from '../block';
import type { PortValue } from '../ports';
import { formatShape } from '../ports';
import { error } from './common';

/** The two inputs of a merge block: the main path and the path it joins (a skip connection, a second branch). */
export const mergeInputs: readonly InputPortSpec<Record<string, never>>[] = [
  {
    name: 'a',
    accepts: ['feature', 'vector'],
    required: true,
    description: 'The first path: a feature map or vector.',
  },
  {
    name: 'b',
    accepts: ['feature', 'vector'],
    required: true,
    description: 'The second path (a skip connection, another branch): a value of the same kind.',
  },
];

/** A merge's two inputs as maps or as vectors, or the problem that they are not of one kind. */
export function mergedPair(
  a: PortValue | undefined,
  b: PortValue | undefined,
  what: string,
): { kind: 'feature' | 'vector'; a: number[]; b: number[] } | { problem: BlockProblem } | undefined {
  if (!a || !b || a.kind === 'label' || b.kind === 'label') return undefined;
  const mapA = a.kind === 'feature' || a.kind === 'image';
  const mapB = b.kind === 'feature' || b.kind === 'image';
  if (mapA !== mapB)
    return {
      problem: error(
        `${what} joins values of one kind; "a" gets ${mapA ? 'a feature map' : 'a vector'} ${formatShape(a)} and "b" gets ${mapB ? 'a feature map' : 'a vector'} ${formatShape(b)}. Reshape one of them first.`,
        'b',
      ),
    };
  return { kind: mapA ? 'feature' : 'vector', a: [...a.shape], b: [...b.shape] };
}

export function valueOfShape(kind: 'feature' | 'vector', shape: number[]): PortValue {
  return kind === 'feature'
    ? { kind: 'feature', shape: [shape[0]!, shape[1]!, shape[2]!] }
    : { kind: 'vector', shape: [shape[0]!] };
}

/** The new value a merge writes: one float32 per element of its output, per sample. */
export function mergeCost(what: string, shape: number[]): BlockCost {
  return { bytesPerSample: 4 * shape.reduce((n, d) => n * d, 1), what: `${what} ${shape.join('×')}` };
}
