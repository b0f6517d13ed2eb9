import type { LatentModel, LatentPictureWire, LatentViewChoice, NoiseRefChoice } from '../../graph-schemas';
import { LATENT_LIMITS, LATENT_TRUNCATION } from '../../graph-schemas';

/** What the explorer's controls hold; the engine requests are made from it. */
export interface LatentControls {
  seed: number;
  cols: number;
  /** The truncation threshold when on; null = off. */
  truncation: number | null;
  /** Interpolation endpoints: noise vectors named by seed and column. */
  from: NoiseRefChoice;
  to: NoiseRefChoice;
  /** The class the strip is drawn for (0 when unconditional). */
  stripClass: number;
  frames: number;
  mode: 'linear' | 'spherical';
}

export const initialControls = (seed = 0): LatentControls => ({
  seed,
  cols: 8,
  truncation: null,
  from: { seed, column: 0 },
  to: { seed, column: 7 },
  stripClass: 0,
  frames: 8,
  mode: 'spherical',
});

/** The grid's rows: every class up to the API's row limit (one row when unconditional). */
export function gridView(c: LatentControls, model: LatentModel): LatentViewChoice {
  const rows = Math.min(model.classes, LATENT_LIMITS.rows);
  return {
    kind: 'grid',
    seed: c.seed,
    cols: c.cols,
    ...(model.classes > 0 ? { classes: Array.from({ length: rows }, (_, k) => k) } : {}),
    truncation: c.truncation,
  };
}

export function stripView(c: LatentControls): LatentViewChoice {
  return {
    kind: 'strip',
    from: c.from,
    to: c.to,
    classIndex: c.stripClass,
    frames: c.frames,
    mode: c.mode,
    truncation: c.truncation,
  };
}

/** A cell of a picture: its row (class row of a grid) and column. */
export interface CellRef {
  row: number;
  col: number;
}

/** The cell under a point given in the picture's own pixels; null on the padding or outside. */
export function cellAtPixel(
  p: Pick<LatentPictureWire, 'rows' | 'cols' | 'cellSize' | 'padding'>,
  x: number,
  y: number,
) {
  const pitch = p.cellSize + p.padding;
  const col = Math.floor((x - p.padding) / pitch);
  const row = Math.floor((y - p.padding) / pitch);
  if (col < 0 || row < 0 || col >= p.cols || row >= p.rows) return null;
  const inX = x - p.padding - col * pitch;
  const inY = y - p.padding - row * pitch;
  return inX < p.cellSize && inY < p.cellSize ? { row, col } : null;
}

/** The single image a grid cell shows: the column's noise and the row's class. */
export function gridCellImage(c: LatentControls, grid: LatentPictureWire, cell: CellRef): LatentViewChoice {
  return {
    kind: 'image',
    noise: { seed: c.seed, column: cell.col },
    classIndex: grid.rowClasses[cell.row] ?? 0,
    truncation: c.truncation,
  };
}

/** A clamped truncation value from the slider (two decimals), or null when switched off. */
export function truncationFrom(on: boolean, value: number): number | null {
  if (!on) return null;
  const v = Math.round(value * 100) / 100;
  return Math.min(LATENT_TRUNCATION.max, Math.max(LATENT_TRUNCATION.min, v));
}

/** "mnist-run-step-400-grid-seed-3.png": what a saved picture is called by default. */
export function pngName(sourceName: string, step: number, view: LatentViewChoice): string {
  const base = `${sourceName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model'}-step-${step}`;
  const psi = view.truncation === null ? '' : `-trunc-${view.truncation}`;
  switch (view.kind) {
    case 'grid':
      return `${base}-grid-seed-${view.seed}${psi}.png`;
    case 'strip':
      return `${base}-${view.mode}-${view.from.seed}.${view.from.column}-to-${view.to.seed}.${view.to.column}-class-${view.classIndex}${psi}.png`;
    case 'image':
      return `${base}-seed-${view.noise.seed}.${view.noise.column}-class-${view.classIndex}${psi}.png`;
  }
}

/** Whole seeds in the API's range, for "New seed". */
export const randomSeed = (random: () => number = Math.random) => Math.floor(random() * 1_000_000);
