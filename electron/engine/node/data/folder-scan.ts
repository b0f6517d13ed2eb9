import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { IMAGE_EXTENSIONS, UNSUPPORTED_IMAGE_EXTENSIONS } from './decode-image';

export interface ImageFile {
  /** Absolute path. */
  file: string;
  label: number;
  bytes: number;
  mtimeMs: number;
}

export interface FolderScan {
  /** Sorted class folder names (class id = index); empty for an unconditional dataset. */
  classNames: string[];
  files: ImageFile[];
  /** Image files in formats we cannot decode. */
  unsupported: { file: string; reason: string }[];
  /** Per class, how many candidate images its folder holds (all of them for an unconditional dataset). */
  perClass: number[];
}

export type ScanProblem =
  | { kind: 'mixed-layout'; looseImages: string[]; classNames: string[] }
  | { kind: 'unreadable-folder'; folder: string; reason: string };

interface Entry {
  name: string;
  path: string;
  isDir: boolean;
}

const isHidden = (name: string) =>
  name.startsWith('.') || name === '__MACOSX' || name === 'Thumbs.db' || name === 'desktop.ini';
// Code-unit order (like Python's sorted), not the locale's, so class ids do not depend on the machine.
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

async function listFolder(folder: string): Promise<Entry[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const out: Entry[] = [];
  for (const e of entries.filter((x) => !isHidden(x.name)).sort(byName)) {
    const path = join(folder, e.name);
    // Follow symbolic links (a class folder may link to images elsewhere); a broken link counts as a file.
    const isDir = e.isSymbolicLink()
      ? await stat(path).then(
          (s) => s.isDirectory(),
          () => false,
        )
      : e.isDirectory();
    out.push({ name: e.name, path, isDir });
  }
  return out;
}

/** Every file below `folder` (recursively, sorted by path), with its extension lower-cased. */
async function walk(folder: string, depth = 0): Promise<Entry[]> {
  if (depth > 32) return []; // a symlink loop
  const files: Entry[] = [];
  for (const e of await listFolder(folder)) {
    if (e.isDir) files.push(...(await walk(e.path, depth + 1)));
    else files.push(e);
  }
  return files;
}

/**
 * Lists a dataset folder: one subfolder per class (its images found recursively), or images directly in the
 * folder (unconditional). With `unconditional`, subfolders are not classes: every image below the folder is used.
 */
export async function scanFolder(
  root: string,
  unconditional: boolean,
): Promise<{ ok: true; scan: FolderScan } | { ok: false; problem: ScanProblem }> {
  let top: Entry[];
  try {
    top = await listFolder(root);
  } catch (e) {
    return { ok: false, problem: { kind: 'unreadable-folder', folder: root, reason: (e as Error).message } };
  }
  const classDirs = unconditional ? [] : top.filter((e) => e.isDir);
  const isImageLike = (name: string) =>
    IMAGE_EXTENSIONS.has(extname(name).toLowerCase()) || UNSUPPORTED_IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
  const loose = top.filter((e) => !e.isDir && isImageLike(e.name));
  if (classDirs.length > 0 && loose.length > 0) {
    return {
      ok: false,
      problem: {
        kind: 'mixed-layout',
        looseImages: loose.map((e) => e.name),
        classNames: classDirs.map((d) => d.name),
      },
    };
  }
  const groups: Entry[][] = [];
  try {
    if (classDirs.length === 0) groups.push(unconditional ? await walk(root) : top.filter((e) => !e.isDir));
    else for (const dir of classDirs) groups.push(await walk(dir.path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, problem: { kind: 'unreadable-folder', folder: err.path ?? root, reason: err.message } };
  }
  const scan: FolderScan = { classNames: classDirs.map((d) => d.name), files: [], unsupported: [], perClass: [] };
  for (const [label, entries] of groups.entries()) {
    const images: Entry[] = [];
    for (const e of entries) {
      const ext = extname(e.name).toLowerCase();
      const format = UNSUPPORTED_IMAGE_EXTENSIONS.get(ext);
      if (format)
        scan.unsupported.push({
          file: e.path,
          reason: `${format} images are not supported; convert it to PNG or JPEG`,
        });
      else if (IMAGE_EXTENSIONS.has(ext)) images.push(e);
    }
    // Sizes and times feed the cache key; stat in parallel chunks (thousands of files, few at a time).
    for (let i = 0; i < images.length; i += 256) {
      const infos = await Promise.all(images.slice(i, i + 256).map((e) => stat(e.path).catch(() => null)));
      infos.forEach((info, k) =>
        scan.files.push({ file: images[i + k]!.path, label, bytes: info?.size ?? -1, mtimeMs: info?.mtimeMs ?? -1 }),
      );
    }
    scan.perClass.push(images.length);
  }
  return { ok: true, scan };
}

/** A path relative to the dataset folder, for messages and the cache key. */
export const relativeTo = (root: string, file: string): string => relative(root, file) || file;
