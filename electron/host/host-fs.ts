import * as nodeFs from 'node:fs/promises';
import { ApiError } from '../../graph-schemas';

/**
 * The file-system calls the host makes, so tests can make one of them fail (a rename that never
 * happens is a crash between write and rename) without touching the real disk's behaviour.
 */
export type HostFs = Pick<
  typeof nodeFs,
  'open' | 'rename' | 'unlink' | 'stat' | 'lstat' | 'realpath' | 'readlink' | 'readdir' | 'readFile' | 'mkdir' | 'chmod'
>;

export const nodeHostFs: HostFs = {
  open: nodeFs.open,
  rename: nodeFs.rename,
  unlink: nodeFs.unlink,
  stat: nodeFs.stat,
  lstat: nodeFs.lstat,
  realpath: nodeFs.realpath,
  readlink: nodeFs.readlink,
  readdir: nodeFs.readdir,
  readFile: nodeFs.readFile,
  mkdir: nodeFs.mkdir,
  chmod: nodeFs.chmod,
};

/** Node's error code (ENOENT, EACCES, ...), or undefined for anything else. */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Maps a Node file-system error to the API's codes, with a message that names the path and what to do. */
export function fsApiError(e: unknown, path: string, action: string): ApiError {
  if (e instanceof ApiError) return e;
  const code = errnoCode(e);
  switch (code) {
    case 'ENOENT':
      return new ApiError('not-found', `${path} does not exist.`);
    case 'EACCES':
    case 'EPERM':
      return new ApiError(
        'permission',
        `Permission denied: cannot ${action} ${path}. Check the file's permissions or choose another place.`,
      );
    case 'EROFS':
      return new ApiError('permission', `Cannot ${action} ${path}: it is on a read-only disk.`);
    case 'EISDIR':
      return new ApiError('bad-request', `${path} is a folder, not a file.`);
    case 'ENOTDIR':
      return new ApiError('bad-request', `Cannot ${action} ${path}: part of the path is a file, not a folder.`);
    case 'EEXIST':
      return new ApiError('exists', `${path} already exists.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new ApiError('internal', `Cannot ${action} ${path}: the disk is full. Free some space and try again.`);
    case 'ENAMETOOLONG':
    case 'ELOOP':
      return new ApiError(
        'bad-request',
        `Cannot ${action} ${path}: ${code === 'ELOOP' ? 'too many symbolic links' : 'the name is too long'}.`,
      );
    default:
      return new ApiError('internal', `Cannot ${action} ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
