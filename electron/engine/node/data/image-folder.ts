import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { resizeCropToSquare } from '../../core/image/resize';
import { writeFileAtomic } from '../fs-atomic';
import { decodePng } from '../png';
import type { LabelledImages } from './mnist';

export interface DatasetError {
  message: string;
}

export interface FolderDataset extends LabelledImages {
  /** Files that could not be read, counted and skipped. */
  skipped: { file: string; reason: string }[];
}

type Result<T> = { ok: true; value: T } | { ok: false; error: DatasetError };

const IMAGE = new Set(['.png', '.jpg', '.jpeg']);
const fail = (message: string): Result<never> => ({ ok: false, error: { message } });

/**
 * Loads a folder of PNG/JPEG images, one subfolder per class (sorted names → class ids) or none (unconditional),
 * resized and centre-cropped to size×size, as grayscale or RGB. Decoded once, then cached in `cacheDir`.
 * Never throws on bad input: every problem comes back as a message naming the path and what to do.
 */
export async function loadImageFolder(
  path: string,
  opts: { size: number; channels: 1 | 3; expectedClasses?: number; cacheDir?: string; onProgress?: (done: number, total: number) => void },
): Promise<Result<FolderDataset>> {
  const root = resolve(path);
  const info = await stat(root).catch(() => null);
  if (!info) return fail(`The dataset folder ${root} does not exist. Choose an existing folder of images (one subfolder per class).`);
  if (!info.isDirectory()) return fail(`${root} is a file, not a folder. Choose the folder that holds the images.`);
  const entries = await readdir(root, { withFileTypes: true });
  const classDirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const looseImages = entries.filter((e) => e.isFile() && IMAGE.has(extname(e.name).toLowerCase()));
  if (classDirs.length > 0 && looseImages.length > 0) {
    return fail(`${root} mixes images (${looseImages.length}, e.g. ${looseImages[0]!.name}) with class subfolders (${classDirs.join(', ')}). Move the loose images into a class folder, or remove the subfolders for an unconditional dataset.`);
  }
  const files: { file: string; label: number }[] = [];
  if (classDirs.length === 0) {
    for (const e of looseImages) files.push({ file: join(root, e.name), label: 0 });
  } else {
    for (const [label, dir] of classDirs.entries()) {
      for (const e of (await readdir(join(root, dir), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (e.isFile() && IMAGE.has(extname(e.name).toLowerCase())) files.push({ file: join(root, dir, e.name), label });
      }
    }
  }
  if (files.length === 0) return fail(`${root} has no PNG or JPEG images${classDirs.length ? ` in its class folders (${classDirs.join(', ')})` : ''}. Add images, one subfolder per class.`);
  const classes = classDirs.length;
  if (opts.expectedClasses !== undefined && opts.expectedClasses !== classes) {
    return fail(
      classes === 0
        ? `${root} has no class subfolders, but the document expects ${opts.expectedClasses} classes. Put each class's images in its own subfolder, or set classes to 0 (unconditional).`
        : `${root} has ${classes} class folders (${classDirs.join(', ')}), but the document expects ${opts.expectedClasses}. Set the document's classes to ${classes}, or fix the folders.`,
    );
  }

  const stats = await Promise.all(files.map((f) => stat(f.file)));
  const key = createHash('sha256').update(JSON.stringify([root, opts.size, opts.channels, files.map((f, i) => [f.file, stats[i]!.size, stats[i]!.mtimeMs])])).digest('hex').slice(0, 24);
  const pixels = opts.size * opts.size * opts.channels;
  const cached = opts.cacheDir ? await readCache(opts.cacheDir, key, pixels) : null;
  let images: Float32Array;
  let labels: Int32Array;
  let skipped: { file: string; reason: string }[];
  if (cached) {
    ({ images, labels, skipped } = cached);
  } else {
    const decoded: Float32Array[] = [];
    const kept: number[] = [];
    skipped = [];
    for (const [i, f] of files.entries()) {
      try {
        const bytes = await readFile(f.file);
        const ext = extname(f.file).toLowerCase();
        const img = ext === '.png' ? decodePng(bytes) : (() => { const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true }); return { width: j.width, height: j.height, rgba: j.data }; })();
        const out = new Float32Array(pixels);
        resizeCropToSquare(img.rgba, img.width, img.height, opts.size, opts.channels, out, 0);
        decoded.push(out);
        kept.push(f.label);
      } catch (e) {
        skipped.push({ file: f.file, reason: e instanceof Error ? e.message : String(e) });
      }
      opts.onProgress?.(i + 1, files.length);
    }
    if (decoded.length === 0) return fail(`None of the ${files.length} images in ${root} could be read (first: ${skipped[0]?.file}: ${skipped[0]?.reason}).`);
    images = new Float32Array(decoded.length * pixels);
    decoded.forEach((d, i) => images.set(d, i * pixels));
    labels = Int32Array.from(kept);
    if (opts.cacheDir) await writeCache(opts.cacheDir, key, images, labels, skipped).catch(() => {});
  }
  return {
    ok: true,
    value: {
      name: `${root} (${labels.length} images${classes ? `, ${classes} classes` : ''})`,
      size: labels.length,
      height: opts.size,
      width: opts.size,
      channels: opts.channels,
      classes,
      classNames: classDirs,
      labels,
      skipped,
      copyImage: (index, out, offset) => out.set(images.subarray(index * pixels, (index + 1) * pixels), offset),
    },
  };
}

async function readCache(dir: string, key: string, pixels: number) {
  try {
    const meta = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as { count: number; labels: number[]; skipped: { file: string; reason: string }[] };
    const bytes = await readFile(join(dir, `${key}.bin`));
    if (bytes.byteLength !== meta.count * pixels * 4) return null;
    const images = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { images, labels: Int32Array.from(meta.labels), skipped: meta.skipped };
  } catch {
    return null;
  }
}

async function writeCache(dir: string, key: string, images: Float32Array, labels: Int32Array, skipped: { file: string; reason: string }[]) {
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, `${key}.bin`), new Uint8Array(images.buffer, images.byteOffset, images.byteLength));
  await writeFileAtomic(join(dir, `${key}.json`), JSON.stringify({ count: labels.length, labels: Array.from(labels), skipped }));
}
