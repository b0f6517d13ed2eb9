import { z } from 'zod';
import { RunSummarySchema } from './training-contract';

/**
 * The latent explorer in the UI ↔ host API: a class × noise grid, interpolation strips and single images drawn by
 * the engine from a run's checkpoint (G's EMA weights when the run keeps them) or from an export folder.
 *
 * A noise vector is named by a seed and a column: column c of a grid of seed s is the vector (s, c) in every class
 * row. Truncation is BigGAN's: components of z beyond the threshold are resampled (null = none).
 */

/** The truncation thresholds the explorer accepts (lower: less variety, more typical images). */
export const LATENT_TRUNCATION = { min: 0.05, max: 4 } as const;
/** Limits that keep one request to seconds: grid columns, grid rows (classes), strip frames, PNG enlargement. */
export const LATENT_LIMITS = { cols: 16, rows: 32, frames: 64, scale: 16 } as const;

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);
const classIndex = z.number().int().min(0).max(100_000);
const truncation = z.number().min(LATENT_TRUNCATION.min).max(LATENT_TRUNCATION.max).nullable();
export const NoiseRefSchema = z.object({ seed, column: z.number().int().min(0).max(1023) }).strict();

/** Where the weights come from: a run (its checkpoint at `step`, else the newest) or an export folder. */
export const LatentSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('run'), runId: RunSummarySchema.shape.id, step: z.number().int().min(0).optional() })
    .strict(),
  z.object({ kind: z.literal('export'), dir: z.string().min(1).max(4096) }).strict(),
]);

export const LatentViewSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('grid'),
      seed,
      cols: z.number().int().min(1).max(LATENT_LIMITS.cols),
      /** The classes shown as rows, in order; default the first ten. Unconditional models have one row. */
      classes: z.array(classIndex).min(1).max(LATENT_LIMITS.rows).optional(),
      truncation,
    })
    .strict(),
  z
    .object({
      kind: z.literal('strip'),
      from: NoiseRefSchema,
      to: NoiseRefSchema,
      classIndex,
      frames: z.number().int().min(2).max(LATENT_LIMITS.frames),
      mode: z.enum(['linear', 'spherical']),
      truncation,
    })
    .strict(),
  z.object({ kind: z.literal('image'), noise: NoiseRefSchema, classIndex, truncation }).strict(),
]);

export const LatentModelSchema = z.object({
  kind: z.enum(['run', 'export']),
  name: z.string(),
  /** The checkpoint drawn from, and those that can be chosen (an export has one). */
  step: z.number(),
  steps: z.array(z.number()),
  zDim: z.number(),
  /** 0 = unconditional. */
  classes: z.number(),
  /** One per class ("class k" where the data's names are unknown); empty when unconditional. */
  classNames: z.array(z.string()),
  /** G's moving average draws (the run keeps one). */
  usesEma: z.boolean(),
  imageSize: z.number(),
  channels: z.number(),
});

export const LatentPictureSchema = z.object({
  model: LatentModelSchema,
  /** The picture as PNG, base64 (black padding between cells). */
  pngBase64: z.string(),
  /** Size of the picture before enlargement. */
  width: z.number(),
  height: z.number(),
  rows: z.number(),
  cols: z.number(),
  cellSize: z.number(),
  padding: z.number(),
  /** The class of each row; empty when unconditional. */
  rowClasses: z.array(z.number()),
  scale: z.number(),
});

const scale = z.number().int().min(1).max(LATENT_LIMITS.scale).default(1);

export const latentMethods = {
  /** Opens the model (kept for the next requests) and says what it takes: checkpoints, classes and their names. */
  'latent.describe': { params: z.object({ source: LatentSourceSchema }).strict(), result: LatentModelSchema },
  /** Draws a grid, an interpolation strip or one image. */
  'latent.render': {
    params: z.object({ source: LatentSourceSchema, view: LatentViewSchema, scale }).strict(),
    result: LatentPictureSchema,
  },
  /** Draws the view and writes it as a PNG file (where the user chose in a save dialog). */
  'latent.save': {
    params: z
      .object({ source: LatentSourceSchema, view: LatentViewSchema, scale, path: z.string().min(1).max(4096) })
      .strict(),
    result: z.object({ path: z.string(), bytes: z.number() }),
  },
} as const;

export type LatentSourceChoice = z.output<typeof LatentSourceSchema>;
export type LatentViewChoice = z.output<typeof LatentViewSchema>;
export type LatentModel = z.output<typeof LatentModelSchema>;
export type LatentPictureWire = z.output<typeof LatentPictureSchema>;
export type NoiseRefChoice = z.output<typeof NoiseRefSchema>;
