import { dirname } from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../engine/node/fs-atomic';
import type { HostFs } from './host-fs';
import { errnoCode } from './host-fs';

/**
 * One JSON file of the host's own state (recent files, the recovery snapshot) under the state folder.
 * Reads never fail on bad content: a damaged file is renamed aside (kept for a person to look at) and
 * reads as missing. Writes are atomic. Calls are serialised so two saves never interleave.
 */
export class StateFile<T> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fs: HostFs,
    readonly path: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  /** Runs fn after every earlier call has finished. */
  serialise<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The stored value, or undefined when there is none or it was damaged (then set aside). */
  async read(): Promise<T | undefined> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return undefined;
      throw e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = this.schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    await this.setAside();
    return undefined;
  }

  async write(value: T): Promise<void> {
    await this.fs.mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`, { fs: this.fs });
  }

  /** Removes the file; false when there was none. */
  async remove(): Promise<boolean> {
    try {
      await this.fs.unlink(this.path);
      return true;
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return false;
      throw e;
    }
  }

  private async setAside(): Promise<void> {
    const aside = `${this.path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await this.fs.rename(this.path, aside).catch(() => undefined);
  }
}
