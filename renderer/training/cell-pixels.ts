import { useEffect, useState } from 'react';
import type { SampleGrid } from '../../graph-schemas';
import { cellOrigin } from './grid-geometry';
import { gridSrc } from './SampleGrid';

/** The RGBA pixels of one cell of a sample grid (decoded from its PNG in the page). */
export function useCellPixels(grid: SampleGrid | null, sample: number): Uint8ClampedArray | null {
  const [pixels, setPixels] = useState<{ key: string; data: Uint8ClampedArray } | null>(null);
  const key = grid ? `${grid.step}/${grid.pngBase64.length}/${sample}` : '';
  useEffect(() => {
    if (!grid) return;
    let live = true;
    const image = new Image();
    image.src = gridSrc(grid);
    image
      .decode()
      .then(() => {
        const canvas = document.createElement('canvas');
        canvas.width = grid.cellSize;
        canvas.height = grid.cellSize;
        const ctx = canvas.getContext('2d')!;
        const { x, y } = cellOrigin(grid, sample);
        ctx.drawImage(image, x, y, grid.cellSize, grid.cellSize, 0, 0, grid.cellSize, grid.cellSize);
        if (live) setPixels({ key, data: ctx.getImageData(0, 0, grid.cellSize, grid.cellSize).data });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [grid, sample, key]);
  return pixels?.key === key ? pixels.data : null;
}
