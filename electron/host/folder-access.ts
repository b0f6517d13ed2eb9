import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ApiError } from '../../graph-schemas';
import type { HostFs } from './host-fs';
import { errnoCode } from './host-fs';

/**
 * Which paths the host's file operations may touch. The desktop shell has full access (the user picks paths in
 * native dialogs); the web host, which any page holding its token can drive, is confined to its folders, as
 * Jupyter's server confines its file API to its root.
 */
export interface FolderAccess {
  /** The folders a confined host may use (real paths); undefined for full access. */
  readonly roots: readonly string[] | undefined;
  /**
   * The path itself when the host may `action` it; else refused with an ApiError naming the path, where it leads and
   * the allowed folders. Symbolic links and `..` are resolved first; a path being created is judged by the real path of
   * its nearest existing ancestor.
   */
  check(path: string, action: string): Promise<string>;
  /** Whether check would accept the path (listings leave out entries that lead elsewhere). */
  allows(path: string): Promise<boolean>;
}

export const fullAccess: FolderAccess = {
  roots: undefined,
  check: (path) => Promise.resolve(path),
  allows: () => Promise.resolve(true),
};

/** How many symbolic links are followed by hand (through links whose target does not exist yet) before giving up. */
const MAX_LINKS = 40;

/**
 * Access to `folders` and everything under them, and nothing else. Each folder must exist; it is taken by its real
 * path, so a folder named through a link still admits what is inside it.
 */
export function confinedTo(
  folders: readonly string[],
  fs: Pick<HostFs, 'realpath' | 'lstat' | 'readlink'>,
): FolderAccess {
  const roots = [...new Set(folders.map((f) => realpathSync(resolve(f))))];
  const inside = (real: string) => roots.some((root) => isWithin(real, root));
  const named = roots.join(', ');
  return {
    roots,
    async check(path, action) {
      const real = await realPathOf(fs, resolve(path));
      if (inside(real)) return path;
      const leads = real === resolve(path) ? '' : ` (it leads to ${real})`;
      throw new ApiError(
        'permission',
        `Refused to ${action} ${path}${leads}: this web host may only use ${roots.length === 1 ? 'the folder' : 'the folders'} ${named}. ` +
          'To use another folder, start sagan-studio serve with --dir (documents) or --data-dir (datasets) naming it.',
      );
    },
    async allows(path) {
      try {
        return inside(await realPathOf(fs, resolve(path)));
      } catch {
        return false;
      }
    },
  };
}

/** Whether `path` is `root` or inside it (both absolute and normalised). */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real path `path` stands for: realpath when it exists; otherwise the real path of its nearest existing ancestor
 * with the rest appended, following a dangling link to where it would create its target.
 */
async function realPathOf(
  fs: Pick<HostFs, 'realpath' | 'lstat' | 'readlink'>,
  path: string,
  links = 0,
): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ELOOP' || links > MAX_LINKS)
      throw new ApiError('bad-request', `Cannot use ${path}: too many symbolic links.`);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
  }
  const stats = await fs.lstat(path).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    const target = await fs.readlink(path);
    return realPathOf(fs, resolve(dirname(path), target), links + 1);
  }
  const parent = dirname(path);
  if (parent === path) return path;
  return join(await realPathOf(fs, parent, links), basename(path));
}
