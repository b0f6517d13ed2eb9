import { z } from 'zod';
import { defineBlock } from '../block';
import type { BlockProblem } from '../block';
import { attentionMemory } from '../attention-memory';
import { asFeature, error, feature, spectralNormParam, unknownOutput } from './common';

export const SelfAttention = defineBlock({
  type: 'SelfAttention',
  version: 1,
  title: 'Self-attention',
  shortTitle: 'Attention',
  category: 'Attention',
  description:
    "SAGAN's self-attention: every position of the feature map attends to all others; y = x + γ·o with γ starting at 0, so the block begins as the identity and learns how much attention to use.",
  networks: ['generator', 'discriminator'],
  idStem: 'attention',
  attention: true,
  params: z.object({
    variant: z
      .enum(['official', 'paper'])
      .default('official')
      .describe(
        "official (the authors' TF code, BigGAN, StudioGAN): query and key 1×1 convs to C/8, value to C/2, then a 1×1 conv back to C. paper (Zhang et al., eq. 1–3): f, g, h all C/8 and v from C/8 back to C.",
      ),
    keys: z
      .enum(['auto', 'pooled', 'full'])
      .default('auto')
      .describe(
        'pooled: keys and values are 2×2 max-pooled (N/4 keys, 4× less memory; needs even sizes), as in the official code. full: every position is a key, as in the paper. auto: pooled for official, full for paper.',
      ),
    bias: z
      .boolean()
      .default(false)
      .describe('Biases in the 1×1 convs. The official code has none; the PyTorch reference peer (sagan-32) has them.'),
    spectralNorm: spectralNormParam,
  }),
  inputs: [{ name: 'in', accepts: ['feature'], required: true, description: 'Feature map H×W×C (C divisible by 8).' }],
  outputs: [{ name: 'out', kind: 'feature', description: 'Feature map of the same shape.' }],
  migrations: [],
  infer: ({ params, inputs, doc }) => {
    const x = asFeature(inputs.in);
    if (!x) return unknownOutput;
    const [h, w, c] = x.shape;
    const problems: BlockProblem[] = [];
    const pooled = attentionKeysPooled(params);
    if (c % 8 !== 0)
      problems.push(
        error(`Self-attention projects C to C/8 channels, so C must be divisible by 8; it gets C = ${c}.`, 'in'),
      );
    if (pooled && (h % 2 !== 0 || w % 2 !== 0)) {
      problems.push(
        error(
          `Pooled keys (the official variant) max-pool 2×2, so height and width must be even; they are ${h}×${w}. Use keys "full" or move the node.`,
          'in',
        ),
      );
    }
    const b = params.bias;
    const c8 = Math.floor(c / 8);
    const proj = (cin: number, cout: number) => cin * cout + (b ? cout : 0);
    const weights =
      params.variant === 'official'
        ? 2 * proj(c, c8) + proj(c, Math.floor(c / 2)) + proj(Math.floor(c / 2), c) + 1
        : 3 * proj(c, c8) + proj(c8, c) + 1;
    const queries = h * w;
    const keyCount = pooled ? Math.floor(h / 2) * Math.floor(w / 2) : queries;
    // What the engine holds, not the whole B×N×N' matrix: it computes attention in chunks (attention-memory.ts).
    const memory = attentionMemory(doc.batchSize, queries, keyCount);
    const split = memory.rowsPerChunk < queries ? `, ${memory.rowsPerChunk} query rows at a time` : '';
    return {
      outputs: problems.some((p) => p.severity === 'error') ? {} : { out: feature(h, w, c) },
      params: weights,
      problems,
      cost: {
        bytesPerSample: memory.peakBytes / doc.batchSize,
        what: `attention matrix ${queries}×${keyCount}${split}`,
      },
    };
  },
});

/** Whether keys/values are max-pooled, after resolving "auto". */
export function attentionKeysPooled(params: {
  variant: 'official' | 'paper';
  keys: 'auto' | 'pooled' | 'full';
}): boolean {
  return params.keys === 'auto' ? params.variant === 'official' : params.keys === 'pooled';
}
