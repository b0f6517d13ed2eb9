import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Result } from '../../../../graph-schemas/result';
import { byteImageDataset } from '../../core/data/dataset';
import type { ImageDataset } from '../../core/data/dataset';
import { prepareImage } from '../../core/image/resize';
import type { AlphaBackground } from '../../core/image/resize';
import { cacheFile, readCache, writeCache } from './dataset-cache';
import { decodeImage } from './decode-image';
import type { DataFingerprint } from './fingerprint';
import { fingerprintOf } from './fingerprint';
import { relativeTo, scanFolder } from './folder-scan';
import type { ImageFile } from './folder-scan';

export interface SkippedFile {
  /** Absolute path. */
  file: string;
  reason: string;
}

/** A loaded folder: the dataset, the files left out (with why), and what happened with the cache. */
export type FolderDataset = ImageDataset & {
  skipped: SkippedFile[];
  /** The image files as found (before decoding), to tell later whether the folder still holds the same data. */
  fingerprint: DataFingerprint;
  cache: { status: 'hit' | 'written' | 'disabled' } | { status: 'failed'; message: string };
};

export interface DatasetError {
  kind:
    | 'bad-options'
    | 'missing'
    | 'not-a-folder'
    | 'unreadable-folder'
    | 'mixed-layout'
    | 'empty'
    | 'empty-class'
    | 'class-mismatch'
    | 'all-unreadable'
    | 'too-large'
    | 'cancelled';
  /** The folder (or file) the problem is about. */
  path: string;
  /** A sentence for the user: what is wrong, where, and what to do. */
  message: string;
}

export interface ImageFolderOptions {
  /** Height and width of the square images. */
  size: number;
  /** 1 = grayscale (Rec. 601 luma), 3 = RGB (gray images replicated). */
  channels: 1 | 3;
  /** The document's class count: a different number of class folders is an error; 0 = unconditional (subfolders are not classes). */
  expectedClasses?: number;
  /** Folder for the decoded-images cache; without it every load decodes again. */
  cacheDir?: string;
  /** What transparent pixels are composited over (default black). */
  alphaBackground?: AlphaBackground;
  /** Called after each decoded file (not on a cache hit). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Largest decoded dataset we hold in memory (bytes), well inside a typed array's limit. */
const MAX_BYTES = 2 ** 31;

/**
 * Loads a folder of PNG/JPEG images as a dataset: one subfolder per class (sorted names → class ids, images
 * found recursively) or images directly in the folder (unconditional). Each image's shorter side is scaled to
 * `size` (area averaging when shrinking, bilinear when enlarging), the centre size×size square is kept, and
 * the pixels are stored as bytes. Decoded once: later loads of an unchanged folder read the cache.
 * Never throws on bad input: problems come back as a `DatasetError` naming the path and what to do; files that
 * cannot be read are skipped and listed in `skipped`.
 */
export async function loadImageFolder(
  path: string,
  options: ImageFolderOptions,
): Promise<Result<FolderDataset, DatasetError>> {
  if (typeof path !== 'string' || path.trim() === '')
    return {
      ok: false,
      error: {
        kind: 'missing',
        path: '',
        message: 'No dataset folder is set. Choose a folder of PNG or JPEG images (one subfolder per class).',
      },
    };
  const root = resolve(path);
  const fail = (kind: DatasetError['kind'], message: string, where = root): Result<never, DatasetError> => ({
    ok: false,
    error: { kind, path: where, message },
  });
  const { size, channels, expectedClasses, cacheDir, alphaBackground = 'black', onProgress, signal } = options;
  if (!Number.isInteger(size) || size < 1 || size > 4096)
    return fail('bad-options', `The image size must be a whole number of pixels from 1 to 4096, not ${size}.`);
  if (channels !== 1 && channels !== 3)
    return fail('bad-options', `Images can have 1 (grayscale) or 3 (RGB) channels, not ${String(channels)}.`);
  if (expectedClasses !== undefined && (!Number.isInteger(expectedClasses) || expectedClasses < 0))
    return fail('bad-options', `The expected class count must be a whole number, not ${expectedClasses}.`);

  const info = await stat(root).catch((e: NodeJS.ErrnoException) => e);
  if (info instanceof Error) {
    return info.code === 'ENOENT'
      ? fail(
          'missing',
          `The dataset folder ${root} does not exist. Choose an existing folder of PNG or JPEG images (one subfolder per class).`,
        )
      : fail(
          'unreadable-folder',
          `The dataset folder ${root} cannot be opened (${info.message}). Check that you may read it.`,
        );
  }
  if (!info.isDirectory())
    return fail(
      'not-a-folder',
      `${root} is a file, not a folder. Choose the folder that holds the images (one subfolder per class).`,
    );

  const scanned = await scanFolder(root, expectedClasses === 0);
  if (!scanned.ok) {
    const p = scanned.problem;
    if (p.kind === 'unreadable-folder')
      return fail(
        'unreadable-folder',
        `Could not list ${p.folder} (${p.reason}). Check that you may read it.`,
        p.folder,
      );
    return fail(
      'mixed-layout',
      `${root} mixes ${p.looseImages.length} image${p.looseImages.length === 1 ? '' : 's'} (${listNames(p.looseImages)}) with class subfolders (${listNames(p.classNames)}). Move the loose images into a class folder, or set the document's classes to 0 to train without classes.`,
    );
  }
  const { classNames, files, unsupported, perClass } = scanned.scan;
  const classes = classNames.length;
  if (files.length === 0) {
    const why = unsupported.length
      ? ` (it has ${unsupported.length} image${unsupported.length === 1 ? '' : 's'} in unsupported formats, e.g. ${relativeTo(root, unsupported[0]!.file)})`
      : '';
    return fail(
      'empty',
      `${root} has no PNG or JPEG images${classes ? ` in its class folders (${listNames(classNames)})` : ''}${why}. Add images${classes ? '' : ', directly in the folder or one subfolder per class'}.`,
    );
  }
  if (expectedClasses !== undefined && expectedClasses > 0 && expectedClasses !== classes) {
    return fail(
      'class-mismatch',
      classes === 0
        ? `${root} has no class subfolders, but the document expects ${expectedClasses} classes. Put each class's images in its own subfolder, or set the document's classes to 0 (unconditional).`
        : `${root} has ${classes} class folder${classes === 1 ? '' : 's'} (${listNames(classNames)}), but the document expects ${expectedClasses} classes. Set the document's classes to ${classes}, or add or remove class folders.`,
    );
  }
  const emptyClass = perClass.findIndex((n) => n === 0);
  if (classes > 0 && emptyClass >= 0)
    return fail(
      'empty-class',
      `The class folder "${classNames[emptyClass]}" in ${root} has no PNG or JPEG images. Add images to it, or remove it (every subfolder is a class).`,
    );

  const bytesPerImage = size * size * channels;
  if (files.length * bytesPerImage > MAX_BYTES) {
    const gib = ((files.length * bytesPerImage) / 2 ** 30).toFixed(2);
    return fail(
      'too-large',
      `${files.length} images of ${size}×${size}×${channels} need ${gib} GiB of memory, more than the 2 GiB a dataset may use. Choose a smaller image size or a folder with fewer images.`,
    );
  }

  const fileState = files.map((f) => [relativeTo(root, f.file), f.label, f.bytes, f.mtimeMs]);
  const cache = cacheDir ? cacheFile(resolve(cacheDir), root, { size, channels, alphaBackground }, fileState) : null;
  const hit = cache ? await readCache(cache.file, cache.key, bytesPerImage, classes) : null;
  let decoded = hit;
  let cacheStatus: FolderDataset['cache'] = { status: cache ? 'hit' : 'disabled' };
  if (!decoded) {
    const result = await decodeAll(files, { size, channels, background: alphaBackground }, onProgress, signal);
    if (result === 'cancelled') return fail('cancelled', `Loading ${root} was cancelled.`);
    decoded = { ...result, skipped: [...unsupported, ...result.skipped] };
    if (decoded.labels.length === 0) {
      const first = decoded.skipped[0];
      return fail(
        'all-unreadable',
        `None of the ${files.length} images in ${root} could be read (e.g. ${first ? `${relativeTo(root, first.file)}: ${first.reason}` : 'unknown'}). Check that they are valid PNG or JPEG files.`,
      );
    }
    if (cache) {
      cacheStatus = await writeCache(resolve(cacheDir!), cache.file, cache.key, decoded, bytesPerImage).then(
        () => ({ status: 'written' as const }),
        (e: Error) => ({
          status: 'failed' as const,
          message: `Could not write the image cache in ${cacheDir} (${e.message}); the next load will decode the images again.`,
        }),
      );
    }
  }
  const kept = new Int32Array(Math.max(classes, 1));
  for (const label of decoded.labels) kept[label]!++;
  const lost = classes > 0 ? kept.findIndex((n) => n === 0) : -1;
  if (lost >= 0)
    return fail(
      'empty-class',
      `None of the images in the class folder "${classNames[lost]}" of ${root} could be read (see the skipped files). Fix or replace them, or remove the folder.`,
    );

  const dataset = byteImageDataset({
    name: `${root} (${decoded.labels.length} images${classes ? `, ${classes} classes` : ''})`,
    height: size,
    width: size,
    channels,
    classes,
    classNames,
    labels: decoded.labels,
    pixels: decoded.pixels,
  });
  const fingerprint = fingerprintOf(
    files.map((f) => ({ path: relativeTo(root, f.file), label: f.label, bytes: f.bytes })),
  );
  return { ok: true, value: Object.assign(dataset, { skipped: decoded.skipped, fingerprint, cache: cacheStatus }) };
}

/** Reads and decodes the files, a few reads ahead of the (synchronous) decoder. */
async function decodeAll(
  files: ImageFile[],
  opts: { size: number; channels: 1 | 3; background: AlphaBackground },
  onProgress: ((done: number, total: number) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<{ labels: Int32Array; pixels: Uint8Array; skipped: SkippedFile[] } | 'cancelled'> {
  const bytesPerImage = opts.size * opts.size * opts.channels;
  const pixels = new Uint8Array(files.length * bytesPerImage);
  const labels: number[] = [];
  const skipped: SkippedFile[] = [];
  const READ_AHEAD = 8;
  const reads: Promise<Uint8Array | Error>[] = [];
  const startRead = (i: number) => {
    if (i < files.length) reads[i] = readFile(files[i]!.file).catch((e: Error) => e);
  };
  for (let i = 0; i < READ_AHEAD; i++) startRead(i);
  for (let i = 0; i < files.length; i++) {
    if (signal?.aborted) return 'cancelled';
    const bytes = await reads[i]!;
    delete reads[i];
    startRead(i + READ_AHEAD);
    const file = files[i]!;
    if (bytes instanceof Error) {
      skipped.push({
        file: file.file,
        reason: `could not read the file (${(bytes as NodeJS.ErrnoException).code ?? bytes.message})`,
      });
    } else {
      try {
        const image = decodeImage(bytes);
        pixels.set(prepareImage(image.rgba, image.width, image.height, opts), labels.length * bytesPerImage);
        labels.push(file.label);
      } catch (e) {
        skipped.push({ file: file.file, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    onProgress?.(i + 1, files.length);
  }
  return {
    labels: Int32Array.from(labels),
    pixels: labels.length === files.length ? pixels : pixels.slice(0, labels.length * bytesPerImage),
    skipped,
  };
}

/** "a, b, c and 4 more" */
function listNames(names: string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
