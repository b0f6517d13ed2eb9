import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import type { DirectoryListing } from '../../graph-schemas';
import { Modal } from '../app/Modal';
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

/** Export on the web host: choose or type the output folder in the app. */
export function ExportDialog({
  runId,
  onClose,
  onExport,
}: {
  runId: string;
  onClose(): void;
  onExport(outDir: string, format: 'tfjs' | 'pytorch'): Promise<boolean>;
}) {
  const studio = useStudio();
  const host = studio.ui.getState().host;
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const start = host?.documentsDir ?? '.';
  const sep = host?.pathSeparator ?? '/';
  const [name, setName] = useState(`${runId}-export`);
  const [format, setFormat] = useState<'tfjs' | 'pytorch'>('tfjs');
  const target = name.trim() ? `${path.replace(/[\\/]+$/, '')}${sep}${name.trim()}` : path;
  const onPath = useCallback((p: string) => setPath(p), []);
  return (
    <Modal
      title="Export the model"
      onClose={onClose}
      wide
      testId="export-dialog"
      footer={
        <>
          <span className="muted small">Writes {target || '…'}</span>
          <span className="spacer" />
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button primary"
            disabled={busy || !path.trim()}
            data-testid="export-confirm"
            onClick={async () => {
              setBusy(true);
              const ok = await onExport(target, format);
              setBusy(false);
              if (ok) onClose();
            }}
          >
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      <div className="field">
        <label>Format</label>
        <select
          value={format}
          onChange={(e) => setFormat(e.target.value as 'tfjs' | 'pytorch')}
          data-testid="export-format"
        >
          <option value="tfjs">TensorFlow.js model</option>
          <option value="pytorch">PyTorch package</option>
        </select>
      </div>
      <p className="muted small">
        {format === 'pytorch'
          ? `The newest checkpoint of run ${runId} becomes a PyTorch package: model.py (one module per block type of the document), its weights, train.py and a README.`
          : `The newest checkpoint of run ${runId} becomes a folder with the tfjs model (model.json and weights), its layers module and a README.`}
      </p>
      <FolderBrowser start={start} onPath={onPath} />
      <div className="field">
        <label>New folder name (empty: export into the folder above)</label>
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} data-testid="export-name" />
      </div>
    </Modal>
  );
}
