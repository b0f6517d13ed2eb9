import { basename, dirname, join } from 'node:path';
import type { DirectoryListing, FileContent, FileEntry } from '../../graph-schemas';
import { ApiError } from '../../graph-schemas';
import { writeFileAtomic } from '../engine/node/fs-atomic';
import type { HostFs } from './host-fs';
import { errnoCode, fsApiError } from './host-fs';
import { parentOf } from './paths';

/** The largest file files.read returns: the same bound the contract puts on what files.write accepts. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** A folder's entries: folders first, then files, each by name; dotfiles hidden; broken links and devices left out. */
export async function listFolder(fs: HostFs, path: string): Promise<DirectoryListing> {
  let names: string[];
  try {
    names = await fs.readdir(path);
  } catch (e) {
    if (errnoCode(e) === 'ENOTDIR') throw new ApiError('bad-request', `${path} is a file, not a folder.`);
    throw fsApiError(e, path, 'list');
  }
  const entries: FileEntry[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const entryPath = join(path, name);
    // stat, not lstat: a link to a folder is shown (and opened) as the folder.
    const stats = await fs.stat(entryPath).catch(() => undefined);
    if (!stats || !(stats.isFile() || stats.isDirectory())) continue;
    entries.push({
      name,
      path: entryPath,
      kind: stats.isDirectory() ? 'dir' : 'file',
      size: stats.isDirectory() ? 0 : stats.size,
      mtimeMs: stats.mtimeMs,
    });
  }
  entries.sort((a, b) =>
    a.kind === b.kind ? byName.compare(a.name, b.name) || (a.name < b.name ? -1 : 1) : a.kind === 'dir' ? -1 : 1,
  );
  return { path, parent: parentOf(path), entries };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A text file's content (a leading BOM dropped) and its modification time, which files.write checks to detect conflicts. */
export async function readTextFile(fs: HostFs, path: string, maxBytes = MAX_READ_BYTES): Promise<FileContent> {
  try {
    const stats = await fs.stat(path);
    if (stats.isDirectory()) throw new ApiError('bad-request', `${path} is a folder, not a file.`);
    if (!stats.isFile()) throw new ApiError('bad-request', `${path} is not a regular file.`);
    if (stats.size > maxBytes)
      throw new ApiError(
        'bad-request',
        `${path} is too large to open (${megabytes(stats.size)}; the limit is ${megabytes(maxBytes)}).`,
      );
    const bytes = await fs.readFile(path);
    if (bytes.length > maxBytes)
      throw new ApiError('bad-request', `${path} is too large to open (the limit is ${megabytes(maxBytes)}).`);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new ApiError('bad-request', `${path} is not a text file (it is not valid UTF-8).`);
    }
    return { path, text, mtimeMs: stats.mtimeMs };
  } catch (e) {
    throw fsApiError(e, path, 'read');
  }
}

export interface WriteOptions {
  /** The mtime files.read returned: refuse to overwrite a file someone else changed since. */
  expectedMtimeMs?: number;
  /** false: refuse to replace an existing file ("save as" onto a taken name). */
  overwrite: boolean;
}

/** Saves atomically into an existing folder; keeps an existing file's permissions and writes through a symbolic link to its target. */
export async function writeTextFile(
  fs: HostFs,
  path: string,
  text: string,
  opts: WriteOptions,
): Promise<{ path: string; mtimeMs: number }> {
  try {
    const folder = dirname(path);
    const folderStats = await fs.stat(folder).catch((e: unknown) => {
      if (errnoCode(e) === 'ENOENT')
        throw new ApiError(
          'not-found',
          `The folder ${folder} does not exist; choose an existing folder to save ${basename(path)} in.`,
        );
      throw fsApiError(e, folder, 'open the folder');
    });
    if (!folderStats.isDirectory())
      throw new ApiError('bad-request', `Cannot save ${path}: ${folder} is a file, not a folder.`);
    const target = await followLink(fs, path);
    const existing = await fs.stat(target).catch((e: unknown) => {
      if (errnoCode(e) === 'ENOENT') return undefined;
      throw e;
    });
    if (existing?.isDirectory()) throw new ApiError('bad-request', `Cannot save ${path}: it is a folder.`);
    if (existing && !opts.overwrite)
      throw new ApiError('exists', `${path} already exists; choose another name, or replace it.`);
    if (opts.expectedMtimeMs !== undefined) {
      if (!existing)
        throw new ApiError(
          'conflict',
          `${path} was deleted or moved since it was opened. Save again to write it anew, or save under another name.`,
        );
      if (existing.mtimeMs !== opts.expectedMtimeMs) {
        throw new ApiError(
          'conflict',
          `${path} was changed on disk since it was opened (by another program or window). Reload it, or save again to overwrite those changes.`,
        );
      }
    }
    await writeFileAtomic(target, text, { fs });
    const written = await fs.stat(target);
    return { path, mtimeMs: written.mtimeMs };
  } catch (e) {
    throw fsApiError(e, path, 'save');
  }
}

/** The file a symbolic link points to (so saving keeps the link), or the path itself. */
async function followLink(fs: HostFs, path: string): Promise<string> {
  const stats = await fs.lstat(path).catch(() => undefined);
  if (!stats?.isSymbolicLink()) return path;
  return fs.realpath(path).catch(() => path);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
