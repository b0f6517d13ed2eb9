import { z } from 'zod';
import type { BlockProblem, DocumentContext } from '../block';
import { error } from './common';

/** Normalisations a residual block can use; shared so G blocks count and check them alike. */
export type NormKind = 'cbn' | 'bn' | 'none';

export const normHelp = {
  cbn: 'conditional batch norm: per-class scale and shift looked up by the label (SAGAN G)',
  bn: 'batch norm with a learned scale and shift',
  none: 'no normalisation (SAGAN D)',
};

export const upNormParam = z
  .enum(['cbn', 'bn'])
  .default('cbn')
  .describe(`Normalisation before each conv: cbn = ${normHelp.cbn}; bn = ${normHelp.bn}.`);

/** Trainable parameters of one normalisation over `channels`, as PyTorch counts them. */
export function normParams(norm: NormKind, channels: number, classes: number): number {
  if (norm === 'cbn') return 2 * classes * channels;
  if (norm === 'bn') return 2 * channels;
  return 0;
}

export function labelProblems(norm: NormKind, hasLabel: boolean, doc: DocumentContext, who: string): BlockProblem[] {
  if (norm !== 'cbn') return [];
  if (doc.classes === 0) {
    return [
      error(
        `${who} uses conditional batch norm, but the dataset has no classes. Use norm "bn", or set the number of classes.`,
      ),
    ];
  }
  return hasLabel
    ? []
    : [
        error(
          `${who} uses conditional batch norm and needs the class label: connect a Class label node to its "label" port, or set norm to "bn".`,
          'label',
        ),
      ];
}
