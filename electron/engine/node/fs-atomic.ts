import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old or the new content, never a torn one: a temp file in the
 * same folder, fsync, rename over the target, then fsync the folder (where the platform allows).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let handle;
  try {
    handle = await open(tmp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  try {
    const dir = await open(dirname(path), 'r');
    await dir.sync().catch(() => {});
    await dir.close();
  } catch {
    // Directories cannot be opened for fsync on some platforms (Windows); the rename is still atomic.
  }
}
