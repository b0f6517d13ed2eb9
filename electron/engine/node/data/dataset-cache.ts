import { createHash } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic';
import { encodeHeaded, readHeadedFile } from '../headed-file';

/**
 * The decoded-images cache: one file per (folder, file list, size, channels, alpha background), named
 * `<folder hash>-<content hash>.sagan-images`: a headed file (headed-file.ts) whose JSON header holds counts,
 * labels and skipped files, then the 8-bit pixels. Any mismatch reads as a miss.
 */
const MAGIC = 'SAGANIM1';
const EXTENSION = '.sagan-images';
/** Bump when decoding changes (resizing, colour conversion), so old caches are not read. */
const CACHE_FORMAT = 1;

export interface CachedImages {
  labels: Int32Array;
  pixels: Uint8Array;
  skipped: { file: string; reason: string }[];
}

interface Header {
  key: string;
  count: number;
  bytesPerImage: number;
  labels: number[];
  skipped: { file: string; reason: string }[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Cache file for a folder loaded with some settings (size, channels, ...) and the state of its files (paths,
 * sizes, modification times): a change to any file gives a new key, so a stale cache is never read.
 */
export function cacheFile(
  cacheDir: string,
  root: string,
  settings: unknown,
  files: unknown,
): { file: string; key: string } {
  const prefix = sha256(JSON.stringify([CACHE_FORMAT, root, settings])).slice(0, 16);
  const key = sha256(JSON.stringify([prefix, files]));
  return { file: join(cacheDir, `${prefix}-${key.slice(0, 32)}${EXTENSION}`), key };
}

/** The cached images, or null on a miss (absent, other key, or anything inconsistent, labels included). */
export async function readCache(
  file: string,
  key: string,
  bytesPerImage: number,
  classes: number,
): Promise<CachedImages | null> {
  const read = await readHeadedFile(file, MAGIC);
  if (!read) return null;
  try {
    const header = read.header as Header;
    const pixels = read.body;
    if (
      header.key !== key ||
      header.bytesPerImage !== bytesPerImage ||
      header.labels.length !== header.count ||
      pixels.length !== header.count * bytesPerImage
    )
      return null;
    if (
      !header.labels.every((l) => Number.isInteger(l) && l >= 0 && l < Math.max(classes, 1)) ||
      !Array.isArray(header.skipped)
    )
      return null;
    return { labels: Int32Array.from(header.labels), pixels, skipped: header.skipped };
  } catch {
    return null;
  }
}

/** Writes the cache atomically, then removes older caches of the same folder and settings (its files changed since). */
export async function writeCache(
  cacheDir: string,
  file: string,
  key: string,
  images: CachedImages,
  bytesPerImage: number,
): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const header: Header = {
    key,
    count: images.labels.length,
    bytesPerImage,
    labels: Array.from(images.labels),
    skipped: images.skipped,
  };
  await writeFileAtomic(file, [encodeHeaded(MAGIC, header), images.pixels]);
  const name = basename(file);
  const folderPrefix = name.slice(0, name.indexOf('-') + 1);
  for (const other of await readdir(cacheDir)) {
    if (other !== name && other.startsWith(folderPrefix) && other.endsWith(EXTENSION))
      await rm(join(cacheDir, other), { force: true });
  }
}
