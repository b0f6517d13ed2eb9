import type { ImageDataset } from '../../core/data/dataset';
import { encodePng } from '../png';

/** A few real images of each class, as one PNG: one row per class (the first rows when there are many). */
export interface DataPreview {
  pngBase64: string;
  width: number;
  height: number;
  /** Pixels per image in the PNG (images larger than MAX_CELL are shrunk by an integer factor, area-averaged). */
  cellSize: number;
  /** Images per row (fewer in a row whose class has fewer). */
  cols: number;
  /** One per row, top to bottom: the class's name and how many images it has. */
  rows: { name: string; count: number }[];
  /** Classes not shown (beyond the first MAX_ROWS). */
  hiddenClasses: number;
}

export const PREVIEW = { cols: 8, maxRows: 10, maxCell: 48, gap: 2 };

/** How many images each class has (one entry for an unconditional dataset). */
export function imagesPerClass(ds: Pick<ImageDataset, 'classes' | 'labels'>): number[] {
  const counts = new Array<number>(Math.max(1, ds.classes)).fill(0);
  for (const label of ds.labels) counts[ds.classes > 0 ? label : 0]!++;
  return counts;
}

/**
 * The preview grid of a dataset: for each class (at most PREVIEW.maxRows), PREVIEW.cols of its images spread evenly
 * over the class (not just its first files), shrunk to at most PREVIEW.maxCell pixels, on a dark background.
 */
export function previewGrid(ds: ImageDataset): DataPreview {
  const { cols, maxRows, maxCell, gap } = PREVIEW;
  const counts = imagesPerClass(ds);
  const members: number[][] = counts.map(() => []);
  for (let i = 0; i < ds.size; i++) members[ds.classes > 0 ? ds.labels[i]! : 0]!.push(i);
  const shown = members.slice(0, maxRows);
  const factor = Math.max(1, Math.ceil(Math.max(ds.height, ds.width) / maxCell));
  const cw = Math.floor(ds.width / factor);
  const ch = Math.floor(ds.height / factor);
  const width = cols * cw + (cols - 1) * gap;
  const height = shown.length * ch + (shown.length - 1) * gap;
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba.set([24, 26, 30, 255], p * 4);
  }
  const image = new Float32Array(ds.height * ds.width * ds.channels);
  shown.forEach((indices, row) => {
    const picks = Math.min(cols, indices.length);
    for (let c = 0; c < picks; c++) {
      ds.copyImage(indices[Math.floor((c * indices.length) / picks)]!, image, 0);
      const ox = c * (cw + gap);
      const oy = row * (ch + gap);
      for (let y = 0; y < ch; y++)
        for (let x = 0; x < cw; x++) {
          const rgb = [0, 0, 0];
          for (let dy = 0; dy < factor; dy++)
            for (let dx = 0; dx < factor; dx++) {
              const at = ((y * factor + dy) * ds.width + (x * factor + dx)) * ds.channels;
              for (let k = 0; k < 3; k++) rgb[k]! += image[at + (ds.channels === 3 ? k : 0)]!;
            }
          const o = ((oy + y) * width + ox + x) * 4;
          for (let k = 0; k < 3; k++)
            rgba[o + k] = Math.round(Math.min(255, Math.max(0, ((rgb[k]! / (factor * factor) + 1) / 2) * 255)));
        }
    }
  });
  return {
    pngBase64: Buffer.from(encodePng({ width, height, rgba })).toString('base64'),
    width,
    height,
    cellSize: cw,
    cols,
    rows: shown.map((indices, row) => ({
      name: ds.classes > 0 ? (ds.classNames[row] ?? `class ${row}`) : 'all images',
      count: indices.length,
    })),
    hiddenClasses: Math.max(0, members.length - shown.length),
  };
}
