import { z } from 'zod';

/** Node and connection records, shared by the networks and by composite blocks' insides. */

export const id = z.string().min(1, 'an id must not be empty').max(200);

/**
 * Bounds on a node's params. A block's params are a few numbers, strings and flags; a damaged or hostile file with
 * params nested thousands deep would pass a shallow check and then overflow the stack of whatever copies it (handing
 * a document to a training thread clones it recursively). Checked without recursion.
 */
export const PARAMS_LIMITS = { depth: 16, values: 10_000, characters: 100_000 };

/** Why params break PARAMS_LIMITS, or null when they are within them. */
export function paramsOutOfBounds(params: Record<string, unknown>): string | null {
  const pending: [unknown, number][] = [[params, 0]];
  let values = 0;
  let characters = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (++values > PARAMS_LIMITS.values) return `hold more than ${PARAMS_LIMITS.values.toLocaleString('en-US')} values`;
    if (typeof value === 'string') characters += value.length;
    else if (typeof value === 'object' && value !== null) {
      if (depth >= PARAMS_LIMITS.depth) return `are nested more than ${PARAMS_LIMITS.depth} levels deep`;
      for (const [key, inner] of Object.entries(value)) {
        characters += key.length;
        pending.push([inner, depth + 1]);
      }
    }
    if (characters > PARAMS_LIMITS.characters)
      return `hold more than ${PARAMS_LIMITS.characters.toLocaleString('en-US')} characters of text`;
  }
  return null;
}

export const GraphNodeSchema = z
  .object({
    id,
    type: z.string().min(1),
    /** Version of the block's params when saved; older ones are migrated on load. */
    version: z.number().int().min(1).default(1),
    params: z.record(z.string(), z.unknown()).default({}),
    label: z.string().max(200).optional(),
    position: z.object({ x: z.number(), y: z.number() }).optional(),
  })
  .superRefine((node, ctx) => {
    const why = paramsOutOfBounds(node.params);
    if (why)
      ctx.addIssue({
        code: 'custom',
        path: ['params'],
        message: `the params of node "${node.id}" ${why}; a block's params are a few numbers, strings and flags. The file may be damaged: fix or remove that node`,
      });
  });

export const GraphEdgeSchema = z.object({
  id: id.optional(),
  source: id,
  sourcePort: z.string().min(1).default('out'),
  target: id,
  targetPort: z.string().min(1).default('in'),
});
