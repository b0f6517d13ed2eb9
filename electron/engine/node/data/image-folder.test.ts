import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../png';
import { loadImageFolder } from './image-folder';
import { loadMnist } from './mnist';

const root = mkdtempSync(join(tmpdir(), 'sagan-folder-'));
const solid = (w: number, h: number, rgb: [number, number, number]) => {
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([...rgb, 255], i * 4);
  return { width: w, height: h, rgba };
};

function folder(name: string, layout: Record<string, Record<string, Uint8Array | string>>) {
  const dir = join(root, name);
  for (const [sub, files] of Object.entries(layout)) {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const [file, data] of Object.entries(files)) writeFileSync(join(dir, sub, file), data);
  }
  return dir;
}

const white = encodePng(solid(12, 8, [255, 255, 255]));
const red = encodePng(solid(8, 8, [255, 0, 0]));
const blueJpeg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: Buffer.from(solid(8, 8, [0, 0, 255]).rgba) }, 95).data);

describe('image folders', () => {
  it('loads class subfolders (sorted), resizes and crops, converts to grayscale or RGB, and skips unreadable files', async () => {
    const dir = folder('ok', { cats: { 'a.png': white, 'b.jpg': blueJpeg, 'broken.png': 'not a png' }, dogs: { 'c.png': red } });
    const gray = await loadImageFolder(dir, { size: 4, channels: 1 });
    expect(gray.ok).toBe(true);
    if (!gray.ok) return;
    const ds = gray.value;
    expect([ds.size, ds.classes, ds.classNames, Array.from(ds.labels)]).toEqual([3, 2, ['cats', 'dogs'], [0, 0, 1]]);
    expect(ds.skipped).toEqual([{ file: join(dir, 'cats', 'broken.png'), reason: expect.any(String) }]);
    const px = new Float32Array(16);
    ds.copyImage(0, px, 0);
    expect(Array.from(px).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true); // white
    ds.copyImage(2, px, 0);
    expect(px[0]).toBeCloseTo(0.299 * 2 - 1, 2); // red as luma
    const rgb = await loadImageFolder(dir, { size: 4, channels: 3 });
    if (!rgb.ok) throw new Error(rgb.error.message);
    const p3 = new Float32Array(48);
    rgb.value.copyImage(1, p3, 0);
    expect(p3[2]!).toBeGreaterThan(0.9); // blue JPEG
    expect(p3[0]!).toBeLessThan(-0.9);
  });

  it('decodes once and reads the cache the second time', async () => {
    const dir = folder('cached', { x: { 'a.png': white } });
    const cache = join(root, 'cache');
    const first = await loadImageFolder(dir, { size: 4, channels: 1, cacheDir: cache });
    expect(first.ok).toBe(true);
    expect(readdirSync(cache).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    let decoded = 0;
    const second = await loadImageFolder(dir, { size: 4, channels: 1, cacheDir: cache, onProgress: () => decoded++ });
    expect(second.ok && second.value.size).toBe(1);
    expect(decoded).toBe(0);
  });

  it.each([
    ['a missing path', () => join(root, 'nope'), {}, /does not exist/],
    ['a file', () => { const f = join(root, 'file.png'); writeFileSync(f, white); return f; }, {}, /is a file, not a folder/],
    ['an empty folder', () => folder('empty', { none: {} }), {}, /has no PNG or JPEG images/],
    ['a class count the document disagrees with', () => folder('two', { a: { 'a.png': white }, b: { 'b.png': red } }), { expectedClasses: 10 }, /has 2 class folders \(a, b\), but the document expects 10/],
    ['loose images beside class folders', () => { const d = folder('mixed', { a: { 'a.png': white } }); writeFileSync(join(d, 'loose.png'), white); return d; }, {}, /mixes images/],
    ['only unreadable files', () => folder('bad', { a: { 'x.png': 'garbage' } }), {}, /None of the 1 images/],
  ])('refuses %s with a message naming the path', async (_what, make, extra, message) => {
    const result = await loadImageFolder(make(), { size: 4, channels: 1, ...extra });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(message);
  });
});

describe('built-in MNIST', () => {
  it('has 10,000 labelled digits padded to 32×32 in [-1, 1]', async () => {
    const ds = await loadMnist();
    expect([ds.size, ds.height, ds.channels, ds.classes]).toEqual([10_000, 32, 1, 10]);
    const counts = new Array(10).fill(0);
    for (const l of ds.labels) counts[l]++;
    expect(counts.every((c) => c > 800)).toBe(true);
    const px = new Float32Array(1024);
    ds.copyImage(1234, px, 0);
    expect(px[0]).toBe(-1); // padding is background
    expect(Math.max(...px)).toBeGreaterThan(0.9);
    await expect(loadMnist({ size: 16 })).rejects.toThrow(/MNIST digits are 28×28/);
  });
});
