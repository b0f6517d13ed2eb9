import type { HostInfo } from '../../graph-schemas';
import { baseName } from './file-session';

/** Buttons for the folders a confined host (the web host) was given besides the documents folder (--data-dir). */
export function OtherFolders({ host, go }: { host: HostInfo; go(path: string): void }) {
  return (host.folders ?? [])
    .filter((folder) => folder !== host.documentsDir)
    .map((folder) => (
      <button key={folder} className="button small" onClick={() => go(folder)} title={folder}>
        {baseName(folder)}
      </button>
    ));
}
