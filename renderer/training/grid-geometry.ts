import type { SampleGrid } from '../../graph-schemas';

type Layout = Pick<SampleGrid, 'width' | 'height' | 'rows' | 'cols' | 'cellSize'>;

/** The gap between cells of the engine's grid: width = cols·cell + (cols + 1)·padding. */
export function gridPadding(grid: Layout): number {
  return Math.max(0, Math.round((grid.width - grid.cols * grid.cellSize) / (grid.cols + 1)));
}

/** Top-left pixel of a cell (row-major sample index). */
export function cellOrigin(grid: Layout, sample: number): { x: number; y: number } {
  const pad = gridPadding(grid);
  return {
    x: pad + (sample % grid.cols) * (grid.cellSize + pad),
    y: pad + Math.floor(sample / grid.cols) * (grid.cellSize + pad),
  };
}

/** The cell under a grid pixel and the point inside it (0..1), or null on the padding or outside. */
export function cellAt(grid: Layout, px: number, py: number): { sample: number; x: number; y: number } | null {
  const pad = gridPadding(grid);
  const pitch = grid.cellSize + pad;
  const col = Math.floor((px - pad) / pitch);
  const row = Math.floor((py - pad) / pitch);
  if (col < 0 || row < 0 || col >= grid.cols || row >= grid.rows) return null;
  const ix = px - pad - col * pitch;
  const iy = py - pad - row * pitch;
  if (ix >= grid.cellSize || iy >= grid.cellSize) return null;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return { sample: row * grid.cols + col, x: clamp(ix / grid.cellSize), y: clamp(iy / grid.cellSize) };
}
