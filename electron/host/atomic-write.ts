import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { HostFs } from './host-fs';

/**
 * Writes a file so that it is either the old or the new content, never half of either: the text goes
 * to a hidden temp file in the same folder (same disk, so the rename is atomic), is flushed to disk,
 * then replaces the target by rename. If anything fails, the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(fs: HostFs, target: string, text: string, mode?: number): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await fs.open(temp, 'wx', 0o666);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await fs.chmod(temp, mode);
    await fs.rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
  await syncFolder(fs, dir);
}

/** Flushes the folder entry too, so the rename itself survives a power cut (Windows cannot open folders this way; ignored there). */
async function syncFolder(fs: HostFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The new content is already in place; a folder that cannot be flushed is not a failed save.
  }
}
