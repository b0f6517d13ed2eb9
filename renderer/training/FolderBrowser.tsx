import { useEffect, useEffectEvent, useState } from 'react';
import type { DirectoryListing } from '../../graph-schemas';
import { useStudio } from '../app/studio';
import { OtherFolders } from '../files/OtherFolders';

/** Folders on the host (files.list), with a typed path; the browser has no native folder dialog. */
export function FolderBrowser({ start, onPath }: { start: string; onPath(path: string): void }) {
  const studio = useStudio();
  const host = studio.ui.getState().host;
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [typed, setTyped] = useState(start);
  const [error, setError] = useState<string | null>(null);
  const go = (path: string) => {
    studio.api.files.list({ path }).then(
      (l) => {
        setError(null);
        setListing(l);
        setTyped(l.path);
        onPath(l.path);
      },
      (e: Error) => setError(e.message),
    );
  };
  // The first listing, once: later ones follow what the user clicks or types.
  const showStart = useEffectEvent(() => go(start));
  useEffect(() => showStart(), []);
  const dirs = (listing?.entries ?? []).filter((e) => e.kind === 'dir');
  return (
    <div className="folder-browser">
      <div className="path-bar">
        <button
          className="icon-button"
          disabled={!listing?.parent}
          onClick={() => listing?.parent && go(listing.parent)}
          title="Up one folder"
        >
          ↑
        </button>
        <input
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            onPath(e.target.value);
          }}
          onKeyDown={(e) => e.key === 'Enter' && go(typed)}
          aria-label="Folder"
          data-testid="folder-path"
        />
        {host && (
          <>
            <button className="button small" onClick={() => go(host.documentsDir)} title={host.documentsDir}>
              Documents
            </button>
            <OtherFolders host={host} go={go} />
          </>
        )}
      </div>
      {error && <div className="field-error">{error}</div>}
      <div className="folder-list" role="listbox" aria-label="Folders">
        {dirs.map((d) => (
          <button
            key={d.path}
            className="file-row dir"
            onDoubleClick={() => go(d.path)}
            onClick={() => go(d.path)}
            data-file={d.name}
          >
            <span className="file-icon">▸</span>
            <span className="file-label">{d.name}</span>
          </button>
        ))}
        {listing && !dirs.length && <div className="muted small">No folders inside.</div>}
      </div>
    </div>
  );
}
