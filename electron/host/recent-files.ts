import { basename, join } from 'node:path';
import { z } from 'zod';
import type { RecentFile } from '../../graph-schemas';
import { ApiError, RecentFileSchema } from '../../graph-schemas';
import type { HostFs } from './host-fs';
import { fsApiError } from './host-fs';
import { StateFile } from './state-file';

export const MAX_RECENT_FILES = 10;

const RecentFilesFileSchema = z.object({ version: z.literal(1), files: z.array(RecentFileSchema) });

/** The recent-files list (most recent first, no duplicates, at most ten), kept in recent-files.json under the state folder. */
export class RecentFiles {
  private readonly file: StateFile<z.output<typeof RecentFilesFileSchema>>;

  constructor(
    private readonly fs: HostFs,
    stateDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = new StateFile(fs, join(stateDir, 'recent-files.json'), RecentFilesFileSchema);
  }

  /** Files that no longer exist are left out of the answer (but kept, in case a drive comes back). */
  list(): Promise<RecentFile[]> {
    return this.file.serialise(async () => this.existing(await this.stored()));
  }

  /** Puts path at the top; it must be an existing file. */
  add(path: string): Promise<RecentFile[]> {
    return this.file.serialise(async () => {
      const stats = await this.fs.stat(path).catch((e: unknown) => {
        throw fsApiError(e, path, 'open');
      });
      if (!stats.isFile()) throw new ApiError('bad-request', `${path} is not a file, so it cannot be a recent file.`);
      const entry: RecentFile = { path, name: basename(path), openedAt: this.now().toISOString() };
      const files = [entry, ...(await this.stored()).filter((f) => f.path !== path)].slice(0, MAX_RECENT_FILES);
      await this.file.write({ version: 1, files });
      return this.existing(files);
    });
  }

  private async stored(): Promise<RecentFile[]> {
    return (await this.file.read())?.files ?? [];
  }

  private async existing(files: RecentFile[]): Promise<RecentFile[]> {
    const present = await Promise.all(
      files.map((f) =>
        this.fs.stat(f.path).then(
          (s) => s.isFile(),
          () => false,
        ),
      ),
    );
    return files.filter((_, i) => present[i]);
  }
}
