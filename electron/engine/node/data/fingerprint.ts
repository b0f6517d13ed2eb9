import { createHash } from 'node:crypto';

/** Where a run's images come from, resolved: the built-in MNIST or a folder (absolute path). */
export type DataSource = { kind: 'mnist' } | { kind: 'folder'; path: string };

/**
 * What a dataset was when a run started, to tell on resume whether it is still the same data: how many image files,
 * their total size, and a hash of the list (each file's path within the folder, class and size).
 */
export interface DataFingerprint {
  count: number;
  bytes: number;
  files: string;
}

export function fingerprintOf(files: { path: string; label: number; bytes: number }[]): DataFingerprint {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${JSON.stringify([f.path, f.label, f.bytes])}\n`);
  return { count: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0), files: hash.digest('hex') };
}

export const sameData = (a: DataFingerprint, b: DataFingerprint): boolean =>
  a.count === b.count && a.bytes === b.bytes && a.files === b.files;

/** "the folder /data/faces" or "the built-in MNIST" */
export const describeSource = (s: DataSource): string =>
  s.kind === 'mnist' ? 'the built-in MNIST' : `the folder ${s.path}`;

/** "1,234 files, 5.6 MB, file list 1a2b3c4d" */
export const describeFingerprint = (f: DataFingerprint): string =>
  `${f.count.toLocaleString('en-US')} files, ${(f.bytes / 1e6).toFixed(1)} MB, file list ${f.files.slice(0, 8)}`;
