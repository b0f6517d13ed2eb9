import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize, parse, resolve } from 'node:path';
import { ApiError } from '../../graph-schemas';

/**
 * Turns a path from the UI into an absolute, normalised one: relative paths are taken from the
 * documents folder and "~" from the home folder. The server only listens on loopback behind a token,
 * so (as in Jupyter) the user's own files are fair game; this only guards against malformed paths.
 */
export function resolveUserPath(path: string, documentsDir: string, homeDir = homedir()): string {
  if (path.includes('\0'))
    throw new ApiError(
      'bad-request',
      `The path ${JSON.stringify(path.replaceAll('\0', '\\0'))} contains a NUL byte; choose another name.`,
    );
  if (path.trim() === '') throw new ApiError('bad-request', 'The path is empty; choose a file or folder.');
  if (path === '~') return normalize(homeDir);
  if (path.startsWith('~/') || path.startsWith('~\\')) return normalize(join(homeDir, path.slice(2)));
  const absolute = isAbsolute(path) ? path : resolve(documentsDir, path);
  return stripTrailingSeparator(normalize(absolute));
}

/** The folder above, or null at the root of a drive. */
export function parentOf(path: string): string | null {
  return parse(path).root === path ? null : dirname(path);
}

function stripTrailingSeparator(path: string): string {
  const root = parse(path).root;
  return path.length > root.length && /[\\/]$/.test(path) ? path.slice(0, -1) : path;
}
