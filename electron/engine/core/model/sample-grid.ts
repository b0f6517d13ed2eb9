import { z } from 'zod';
import type { GraphDocument } from '../../../../graph-schemas';

/**
 * How a run draws its sample grids: which noise (seed) and labels go into which cell, and how the cells are laid
 * out in the PNG. A run keeps it in run.json, so everything that shows or re-draws a grid (the trainer, the explorer
 * asking a stopped run, export, the host serving an old grid) reads the same fact instead of re-deriving it.
 */
export interface SampleGridPlan {
  /** One row per class (the first 10), or 8 rows for an unconditional model. */
  rows: number;
  /** Cells per row; the noise of a column is shared across rows. */
  cols: number;
  /** Side of one cell in pixels: the document's image size. */
  cellSize: number;
  /** Pixels between cells and around the edge. */
  padding: number;
  /** Seed of the fixed sampling noise, separate from the training noise so it never depends on how far training went. */
  noiseSeed: number;
}

const COLS = 8;
const PADDING = 2;
/** Offset of the sampling noise's seed from the document's: the data order uses seed, training noise seed + 1. */
const NOISE_SEED_OFFSET = 2;

/**
 * The grid a new run of `doc` draws. Also what a run folder written before run.json held the plan had used, so
 * reading such a folder derives its plan here and nowhere else.
 */
export function defaultSampleGrid(doc: Pick<GraphDocument, 'dataset' | 'training'>): SampleGridPlan {
  const classes = doc.dataset.classes;
  return {
    rows: classes > 0 ? Math.min(classes, 10) : 8,
    cols: COLS,
    cellSize: doc.dataset.imageSize,
    padding: PADDING,
    noiseSeed: doc.training.seed + NOISE_SEED_OFFSET,
  };
}

/** The label of every cell, row-major: row r shows class r (all 0 for an unconditional model). */
export function sampleGridLabels(plan: SampleGridPlan, classes: number): Int32Array {
  return Int32Array.from({ length: plan.rows * plan.cols }, (_, i) =>
    classes > 0 ? Math.floor(i / plan.cols) % classes : 0,
  );
}

/** The grid picture's size in pixels. */
export function sampleGridPixels(plan: SampleGridPlan): { width: number; height: number } {
  return {
    width: plan.cols * plan.cellSize + (plan.cols + 1) * plan.padding,
    height: plan.rows * plan.cellSize + (plan.rows + 1) * plan.padding,
  };
}

/** A plan as run.json stores it (checked when a run folder is read). */
export const SampleGridPlanSchema = z
  .object({
    rows: z.number().int().min(1).max(64),
    cols: z.number().int().min(1).max(64),
    cellSize: z.number().int().min(1).max(4096),
    padding: z.number().int().min(0).max(64),
    noiseSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32),
  })
  .strict() satisfies z.ZodType<SampleGridPlan>;
