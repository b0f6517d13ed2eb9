import { z } from 'zod';
import { TrainingSchema } from '../document';
import { BackendRequestSchema, RunSettingSchemas, TrainingDataChoiceSchema } from './training-contract';

/**
 * Attention-placement sweeps in the UI ↔ host API ("Compare attention placements" on a SelfAttention node): the host
 * trains one variant per placement, one after another, in a sweep folder it owns (the CLI's `sweep` format), and
 * pushes its progress; the table (variant, FD/FID, KID, accuracy, it/s, parameters) is shown in Compare.
 */

const sweepId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a sweep id is letters, digits, ".", "_" or "-"');
const placement = z.string().regex(/^feat\d{1,4}$/, 'a placement is a feature-map size like "feat16"');

/** One finished variant, as table.md and table.csv show it. */
export const SweepRowSchema = z.object({
  variant: z.string(),
  placement: z.string(),
  step: z.number(),
  samples: z.number(),
  ema: z.boolean(),
  names: z.object({ fd: z.string(), kid: z.string() }),
  fd: z.number(),
  kid: z.number(),
  kidStd: z.number(),
  accuracy: z.number().nullable(),
  itPerSec: z.number().nullable(),
  generatorParams: z.number(),
  discriminatorParams: z.number(),
});

export const SweepStatusSchema = z.enum(['running', 'finished', 'stopped', 'error']);

export const SweepSummarySchema = z.object({
  id: sweepId,
  name: z.string(),
  /** The sweep folder (variants' run folders, table.md, table.csv). */
  dir: z.string(),
  status: SweepStatusSchema,
  /** What happened last, for the user ("feat16: training, step 40 of 200", or why it stopped). */
  message: z.string(),
  placements: z.array(placement),
  /** Where attention was moved: G, D or both. */
  network: z.enum(['G', 'D', 'both']),
  /** The variant training or being measured now, with its step. */
  current: z
    .object({
      variant: z.string(),
      phase: z.enum(['training', 'measuring']),
      step: z.number(),
      totalSteps: z.number(),
    })
    .nullable(),
  rows: z.array(SweepRowSchema),
  /** The Markdown table (table.md) once any variant is measured; '' before. */
  markdown: z.string(),
  createdAt: z.string(),
});

/** What the "Compare attention placements" dialog chooses. */
export const SweepStartSchema = z
  .object({
    /** The open document, validated again by the host. */
    doc: z.unknown(),
    /** The selected attention node, and its network. */
    nodeId: z.string().min(1).max(200),
    network: z.enum(['generator', 'discriminator']),
    /** Move attention in the node's network only, or in both (the paper's Table 1 moves both). */
    moveIn: z.enum(['this', 'both']),
    placements: z.array(placement).min(2).max(6),
    data: TrainingDataChoiceSchema,
    steps: RunSettingSchemas.steps,
    batchSize: RunSettingSchemas.batchSize,
    seed: RunSettingSchemas.seed.optional(),
    /** Images generated to measure each variant. */
    samples: TrainingSchema.shape.metricsSamples.unwrap(),
    backend: BackendRequestSchema.default('auto'),
  })
  .strict();

export const sweepMethods = {
  /** Checks every variant, then starts training them one after another; answers at once with the sweep. */
  'sweeps.start': { params: SweepStartSchema, result: SweepSummarySchema },
  /** Sweeps started in this session and those found in the sweeps folder; newest first. */
  'sweeps.list': { params: z.object({}).strict(), result: z.array(SweepSummarySchema) },
  /** Stops the variant training now after a checkpoint; the sweep resumes when started again with the same settings. */
  'sweeps.stop': { params: z.object({ sweepId }).strict(), result: SweepSummarySchema },
} as const;

export const sweepEvents = {
  /** A sweep's progress: a variant started, a step, a variant measured, the sweep ended. */
  'sweeps.changed': SweepSummarySchema,
} as const;

export type SweepRowWire = z.output<typeof SweepRowSchema>;
export type SweepSummary = z.output<typeof SweepSummarySchema>;
export type SweepStart = z.output<typeof SweepStartSchema>;
