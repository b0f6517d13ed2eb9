import { join } from 'node:path';
import type { RecoverySnapshot } from '../../graph-schemas';
import { RecoverySnapshotSchema } from '../../graph-schemas';
import type { HostFs } from './host-fs';
import { StateFile } from './state-file';

/** The autosaved copy of the open document (one snapshot, recovery.json under the state folder), offered back after a crash. */
export class RecoveryStore {
  private readonly file: StateFile<RecoverySnapshot>;

  constructor(
    fs: HostFs,
    stateDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = new StateFile(fs, join(stateDir, 'recovery.json'), RecoverySnapshotSchema);
  }

  save(snapshot: Omit<RecoverySnapshot, 'savedAt'>): Promise<{ savedAt: string }> {
    return this.file.serialise(async () => {
      const savedAt = this.now().toISOString();
      await this.file.write({ ...snapshot, savedAt });
      return { savedAt };
    });
  }

  load(): Promise<RecoverySnapshot | null> {
    return this.file.serialise(async () => (await this.file.read()) ?? null);
  }

  clear(): Promise<{ cleared: boolean }> {
    return this.file.serialise(async () => ({ cleared: await this.file.remove() }));
  }
}
