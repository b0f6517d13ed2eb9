import { describe, expect, it } from 'vitest';
import { byteImageDataset } from '../../core/data/dataset';
import { decodePng } from '../png';
import { imagesPerClass, PREVIEW, previewGrid } from './preview-grid';

/** `n` 8×8 RGB images per class; class c's images are all the gray level `levels[c]`. */
function dataset(perClass: number[], levels: number[], size = 8) {
  const labels = Int32Array.from(perClass.flatMap((n, c) => new Array<number>(n).fill(c)));
  const pixels = new Uint8Array(labels.length * size * size * 3);
  labels.forEach((c, i) => pixels.fill(levels[c]!, i * size * size * 3, (i + 1) * size * size * 3));
  return byteImageDataset({
    name: 'test',
    height: size,
    width: size,
    channels: 3,
    classes: perClass.length,
    classNames: perClass.map((_, c) => `class-${c}`),
    labels,
    pixels,
  });
}

describe('data preview', () => {
  it('counts the images of each class', () => {
    expect(imagesPerClass(dataset([3, 5, 1], [0, 0, 0]))).toEqual([3, 5, 1]);
  });

  it('shows one row of real images per class, named, with as many images as the class has (up to the row)', () => {
    const ds = dataset([3, 12], [255, 0]);
    const p = previewGrid(ds);
    expect(p.rows).toEqual([
      { name: 'class-0', count: 3 },
      { name: 'class-1', count: 12 },
    ]);
    expect(p.cellSize).toBe(8);
    expect(p.width).toBe(PREVIEW.cols * 8 + (PREVIEW.cols - 1) * PREVIEW.gap);
    const png = decodePng(new Uint8Array(Buffer.from(p.pngBase64, 'base64')));
    const at = (x: number, y: number) => png.rgba[(y * png.width + x) * 4]!;
    expect(at(4, 4)).toBe(255); // class 0, first image: white
    expect(at(2 * 10 + 4, 4)).toBe(255); // its third
    expect(at(3 * 10 + 4, 4)).toBe(24); // no fourth: background
    expect(at(7 * 10 + 4, 10 + 4)).toBe(0); // class 1 fills its row: black
  });

  it('shrinks large images and leaves out classes beyond the first rows, saying how many', () => {
    const ds = dataset(new Array<number>(12).fill(1), new Array<number>(12).fill(128), 100);
    const p = previewGrid(ds);
    expect(p.cellSize).toBe(33); // 100 px shrunk by 3
    expect(p.rows).toHaveLength(PREVIEW.maxRows);
    expect(p.hiddenClasses).toBe(2);
  });
});
