import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../png';
import { loadImageFolder } from './image-folder';
import type { FolderDataset } from './image-folder';

const root = mkdtempSync(join(tmpdir(), 'sagan-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const solid = (w: number, h: number, rgba: [number, number, number, number]) => {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set(rgba, i * 4);
  return { width: w, height: h, rgba: data };
};
const png = (w: number, h: number, rgb: [number, number, number], alpha = 255) =>
  encodePng(solid(w, h, [...rgb, alpha]));
const jpg = (w: number, h: number, rgb: [number, number, number]) =>
  new Uint8Array(jpeg.encode({ width: w, height: h, data: solid(w, h, [...rgb, 255]).rgba }, 95).data);

/** Makes a folder from { 'relative/path': bytes or text }. */
function folder(name: string, files: Record<string, Uint8Array | string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return dir;
}

function pixels(ds: FolderDataset, index: number): number[] {
  const out = new Float32Array(ds.height * ds.width * ds.channels);
  ds.copyImage(index, out, 0);
  return Array.from(out);
}

async function load(dir: string, options: Partial<Parameters<typeof loadImageFolder>[1]> = {}): Promise<FolderDataset> {
  const result = await loadImageFolder(dir, { size: 4, channels: 1, ...options });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('image folders', () => {
  it('reads class subfolders in sorted order (images found recursively), as grayscale or RGB', async () => {
    const dir = folder('classes', {
      'dogs/c.png': png(8, 8, [255, 0, 0]),
      'cats/a.png': png(12, 8, [255, 255, 255]),
      'cats/b.jpg': jpg(8, 8, [0, 0, 255]),
      'cats/more/d.jpeg': jpg(16, 16, [0, 255, 0]),
      'cats/.hidden.png': 'ignored',
      'cats/notes.txt': 'ignored too',
      '.git/x.png': 'ignored',
    });
    const gray = await load(dir);
    expect([gray.size, gray.classes, gray.classNames, Array.from(gray.labels)]).toEqual([
      4,
      2,
      ['cats', 'dogs'],
      [0, 0, 0, 1],
    ]);
    expect(gray.skipped).toEqual([]);
    expect(pixels(gray, 0).every((v) => v === 1)).toBe(true); // white a.png
    expect(pixels(gray, 3)[0]).toBeCloseTo(Math.round(0.299 * 255) / 127.5 - 1, 5); // red as luma
    const rgb = await load(dir, { channels: 3 });
    const blue = pixels(rgb, 1);
    expect(blue.length).toBe(48);
    expect([blue[0]! < -0.9, blue[1]! < -0.9, blue[2]! > 0.9]).toEqual([true, true, true]);
    expect(pixels(rgb, 2)[1]).toBeGreaterThan(0.9); // green, from the nested folder
  });

  it('resizes the shorter side and keeps the centre, and composites transparency over black or white', async () => {
    // 8×4: left quarter black, middle half white, right quarter black → the centre 4×4 is all white.
    const stripes = solid(8, 4, [0, 0, 0, 255]);
    for (let y = 0; y < 4; y++) for (let x = 2; x < 6; x++) stripes.rgba.set([255, 255, 255, 255], (y * 8 + x) * 4);
    const dir = folder('geometry', {
      'stripes.png': encodePng(stripes),
      'clear.png': png(4, 4, [255, 0, 0], 0),
      'gray.jpg': jpg(6, 6, [128, 128, 128]),
    });
    const ds = await load(dir, { channels: 3 });
    expect(ds.classes).toBe(0);
    expect(Array.from(ds.labels)).toEqual([0, 0, 0]);
    expect(pixels(ds, 2).every((v) => v === 1)).toBe(true); // stripes.png (sorted last)
    expect(pixels(ds, 0).every((v) => v === -1)).toBe(true); // transparent red over black
    const white = await load(dir, { channels: 3, alphaBackground: 'white' });
    expect(pixels(white, 0).every((v) => v === 1)).toBe(true);
    expect(Math.abs(pixels(ds, 1)[0]!)).toBeLessThan(0.05); // mid-gray JPEG near 0
  });

  it('skips unreadable, misnamed-format and unsupported files, with reasons, and decodes by content', async () => {
    const dir = folder('damaged', {
      'a/good.png': png(4, 4, [255, 255, 255]),
      'a/really-a-jpeg.png': jpg(4, 4, [255, 255, 255]),
      'a/broken.png': 'not a png',
      'a/cut.jpg': jpg(16, 16, [9, 9, 9]).subarray(0, 30),
      'a/empty.jpg': '',
      'a/anim.gif': 'GIF89a....',
      'a/fake.jpg': 'GIF89a....',
      'b/ok.jpg': jpg(4, 4, [0, 0, 0]),
    });
    const ds = await load(dir);
    expect(ds.size).toBe(3);
    const reasons = Object.fromEntries(ds.skipped.map((s) => [s.file.slice(dir.length + 1), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'a/anim.gif',
      'a/broken.png',
      'a/cut.jpg',
      'a/empty.jpg',
      'a/fake.jpg',
    ]);
    expect(reasons['a/anim.gif']).toMatch(/GIF images are not supported; convert it to PNG or JPEG/);
    expect(reasons['a/fake.jpg']).toMatch(/it is a GIF image/);
    expect(reasons['a/broken.png']).toMatch(/not a PNG or JPEG/);
    expect(reasons['a/empty.jpg']).toMatch(/empty/);
    expect(reasons['a/cut.jpg']).toMatch(/JPEG/);
  });

  it('decodes once, then reads the cache until a file changes; a damaged cache is rebuilt', async () => {
    const dir = folder('cached', { 'x/a.png': png(6, 6, [200, 100, 50]), 'y/b.jpg': jpg(5, 7, [10, 20, 30]) });
    const cacheDir = join(root, 'cache');
    let decoded = 0;
    const first = await load(dir, { channels: 3, cacheDir, onProgress: () => decoded++ });
    expect([first.cache.status, decoded]).toEqual(['written', 2]);
    const files = () => readdirSync(cacheDir).filter((f) => f.endsWith('.sagan-images'));
    expect(files()).toHaveLength(1);
    const second = await load(dir, { channels: 3, cacheDir, onProgress: () => decoded++ });
    expect([second.cache.status, decoded]).toEqual(['hit', 2]);
    expect([pixels(second, 0), pixels(second, 1), second.labels, second.classNames]).toEqual([
      pixels(first, 0),
      pixels(first, 1),
      first.labels,
      first.classNames,
    ]);
    expect((await load(dir, { channels: 1, cacheDir })).cache.status).toBe('written'); // other settings, own cache
    expect(files()).toHaveLength(2);
    writeFileSync(join(dir, 'x/a.png'), png(6, 6, [0, 0, 0]));
    utimesSync(join(dir, 'x/a.png'), new Date(), new Date(Date.now() + 5000));
    const changed = await load(dir, { channels: 3, cacheDir });
    expect(changed.cache.status).toBe('written');
    expect(pixels(changed, 0)[0]).toBe(-1);
    expect(files()).toHaveLength(2); // the stale RGB cache was replaced, the grayscale one kept
    for (const f of files()) writeFileSync(join(cacheDir, f), 'SAGANIM1 garbage');
    expect((await load(dir, { channels: 3, cacheDir })).cache.status).toBe('written');
  });

  it('treats subfolders as one unconditional set when the document has no classes', async () => {
    const dir = folder('uncond', {
      'a/1.png': png(4, 4, [0, 0, 0]),
      'b/2.png': png(4, 4, [0, 0, 0]),
      'loose.png': png(4, 4, [0, 0, 0]),
    });
    const ds = await load(dir, { expectedClasses: 0 });
    expect([ds.size, ds.classes, ds.classNames, Array.from(ds.labels)]).toEqual([3, 0, [], [0, 0, 0]]);
  });

  it('reports progress and can be cancelled', async () => {
    const dir = folder(
      'many',
      Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`img${i}.png`, png(4, 4, [i, i, i])])),
    );
    const seen: [number, number][] = [];
    await load(dir, { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([1, 2, 3, 4, 5].map((d) => [d, 5]));
    const controller = new AbortController();
    const result = await loadImageFolder(dir, {
      size: 4,
      channels: 1,
      signal: controller.signal,
      onProgress: (done) => done === 2 && controller.abort(),
    });
    expect(result.ok || result.error.kind).toBe('cancelled');
  });

  const white = png(4, 4, [255, 255, 255]);
  it.each([
    ['an empty path', () => ' ', {}, 'missing', /No dataset folder is set/],
    ['a missing path', () => join(root, 'nope'), {}, 'missing', /nope does not exist\. Choose an existing folder/],
    [
      'a file',
      () => join(folder('file', { 'f.png': white }), 'f.png'),
      {},
      'not-a-folder',
      /f\.png is a file, not a folder/,
    ],
    [
      'an empty folder',
      () => folder('empty', { 'readme.txt': 'hi' }),
      {},
      'empty',
      /empty has no PNG or JPEG images\. Add images/,
    ],
    [
      'only unsupported formats',
      () => folder('gifs', { 'a.gif': 'GIF89a' }),
      {},
      'empty',
      /unsupported formats, e\.g\. a\.gif/,
    ],
    [
      'an empty class folder',
      () => folder('hollow', { 'a/x.png': white, 'b/readme.md': '' }),
      {},
      'empty-class',
      /class folder "b" in .*hollow has no PNG or JPEG images/,
    ],
    [
      'a class whose images are all unreadable',
      () => folder('halfbad', { 'a/x.png': white, 'b/y.png': 'junk' }),
      {},
      'empty-class',
      /None of the images in the class folder "b"/,
    ],
    [
      'a class count the document disagrees with',
      () => folder('two', { 'a/a.png': white, 'b/b.png': white }),
      { expectedClasses: 10 },
      'class-mismatch',
      /two has 2 class folders \(a, b\), but the document expects 10 classes\. Set the document's classes to 2/,
    ],
    [
      'classes expected from a flat folder',
      () => folder('flat', { 'a.png': white }),
      { expectedClasses: 3 },
      'class-mismatch',
      /flat has no class subfolders, but the document expects 3 classes/,
    ],
    [
      'loose images beside class folders',
      () => folder('mixed', { 'a/a.png': white, 'loose.png': white }),
      {},
      'mixed-layout',
      /mixed mixes 1 image \(loose\.png\) with class subfolders \(a\)\. Move the loose images/,
    ],
    [
      'only unreadable files',
      () => folder('bad', { 'x.png': 'garbage' }),
      {},
      'all-unreadable',
      /None of the 1 images in .*bad could be read \(e\.g\. x\.png: not a PNG or JPEG/,
    ],
    [
      'a bad size',
      () => folder('size', { 'x.png': white }),
      { size: 0 },
      'bad-options',
      /image size must be a whole number/,
    ],
    [
      'a dataset too large for memory',
      () => folder('huge', Object.fromEntries(Array.from({ length: 43 }, (_, i) => [`${i}.png`, 'unread']))),
      { size: 4096, channels: 3 as const },
      'too-large',
      /43 images of 4096×4096×3 need 2\.02 GiB of memory/,
    ],
  ])('refuses %s with a message naming the path', async (_what, make, extra, kind, message) => {
    const path = make();
    const result = await loadImageFolder(path, { size: 4, channels: 1, ...extra });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe(kind);
    expect(result.error.message).toMatch(message);
    expect(result.error.path).toBe(path.trim() ? resolve(path) : '');
  });
});
