import { useEffect, useEffectEvent, useState } from 'react';
import type { DirectoryListing, FileEntry, RecentFile } from '../../graph-schemas';
import { openPath, save } from '../app/file-actions';
import { Modal } from '../app/Modal';
import { useStudio } from '../app/studio';
import { baseName, GRAPH_EXTENSION, joinPath, withGraphExtension } from './file-session';
import { OtherFolders } from './OtherFolders';

const isGraph = (name: string) => name.endsWith(GRAPH_EXTENSION) || name.endsWith('.json');

function parentFolder(path: string): string | null {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : cut === 0 ? path.slice(0, 1) : null;
}

function suggestedName(name: string): string {
  return withGraphExtension(name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'untitled');
}

/** The in-app file dialog on files.list (the browser has no native one): open a graph, or choose where to save it. */
export function FileDialog({ mode }: { mode: 'open' | 'save-as' }) {
  const studio = useStudio();
  const host = studio.ui.getState().host;
  const { file, doc } = studio.editor.getState();
  const [start] = useState(
    () => studio.ui.getState().lastFolder ?? (file.path ? parentFolder(file.path) : null) ?? host?.documentsDir ?? '.',
  );
  const [folder, setFolder] = useState(start);
  const [typedFolder, setTypedFolder] = useState(start);
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState(file.path ? baseName(file.path) : suggestedName(doc.name));
  const [showAll, setShowAll] = useState(false);
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [busy, setBusy] = useState(false);
  const separator = host?.pathSeparator ?? '/';

  const go = (path: string) => {
    studio.api.files.list({ path }).then(
      (l) => {
        setError(undefined);
        setListing(l);
        setFolder(l.path);
        setTypedFolder(l.path);
        setSelected(null);
        studio.ui.setState({ lastFolder: l.path });
      },
      (e: Error) => setError(e.message),
    );
  };
  // The first listing, once: later ones follow what the user clicks or types.
  const showStart = useEffectEvent(() => go(start));
  useEffect(() => showStart(), []);
  useEffect(() => {
    if (mode === 'open') studio.api.files.recent().then(setRecent, () => setRecent([]));
  }, [mode, studio]);

  const close = () => studio.ui.setState({ dialog: null });
  const open = async (path: string) => {
    setBusy(true);
    close();
    await openPath(studio, path);
  };
  const saveHere = async () => {
    const fileName = withGraphExtension(name);
    if (!name.trim()) return setError('Type a name for the file.');
    setBusy(true);
    const saved = await save(studio, { path: joinPath(folder, fileName, separator) });
    setBusy(false);
    if (saved && studio.ui.getState().dialog?.kind === 'save-as') close();
  };
  const activate = (entry: FileEntry) => {
    if (entry.kind === 'dir') return go(entry.path);
    if (mode === 'open') void open(entry.path);
    else void saveHere();
  };

  const entries = (listing?.entries ?? []).filter((e) => e.kind === 'dir' || showAll || isGraph(e.name));
  const hidden = (listing?.entries.length ?? 0) - entries.length;
  const canOpen = mode === 'open' && selected !== null && entries.some((e) => e.path === selected && e.kind === 'file');

  return (
    <Modal
      title={mode === 'open' ? 'Open graph' : 'Save graph as'}
      onClose={close}
      wide
      testId="file-dialog"
      footer={
        <>
          {mode === 'save-as' && (
            <input
              className="file-name"
              data-testid="file-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && void saveHere()}
              aria-label="File name"
              autoFocus
            />
          )}
          <span className="spacer" />
          <button className="button" onClick={close}>
            Cancel
          </button>
          {mode === 'open' ? (
            <button
              className="button primary"
              disabled={!canOpen || busy}
              onClick={() => selected && void open(selected)}
            >
              Open
            </button>
          ) : (
            <button
              className="button primary"
              disabled={busy || !name.trim()}
              onClick={() => void saveHere()}
              data-testid="save-confirm"
            >
              Save
            </button>
          )}
        </>
      }
    >
      <div className="file-dialog">
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
            value={typedFolder}
            onChange={(e) => setTypedFolder(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && go(typedFolder)}
            aria-label="Folder"
            data-testid="folder-path"
          />
          {host && (
            <>
              <button className="button small" onClick={() => go(host.documentsDir)} title={host.documentsDir}>
                Documents
              </button>
              {host.folders ? (
                <OtherFolders host={host} go={go} />
              ) : (
                <button className="button small" onClick={() => go(host.homeDir)} title={host.homeDir}>
                  Home
                </button>
              )}
            </>
          )}
        </div>
        <div className="file-columns">
          {mode === 'open' && recent.length > 0 && (
            <div className="file-recent">
              <h4>Recent</h4>
              {recent.slice(0, 10).map((r) => (
                <button key={r.path} className="file-row" title={r.path} onClick={() => void open(r.path)}>
                  {r.name}
                </button>
              ))}
            </div>
          )}
          <div className="file-list" role="listbox" aria-label={`Files in ${folder}`}>
            {error && <div className="field-error">{error}</div>}
            {!listing && !error && <div className="muted">Loading…</div>}
            {entries.map((e) => (
              <button
                key={e.path}
                role="option"
                aria-selected={selected === e.path}
                className={`file-row ${e.kind}${selected === e.path ? ' selected' : ''}${e.kind === 'file' && isGraph(e.name) ? ' graph' : ''}`}
                data-file={e.name}
                onClick={() => {
                  setSelected(e.path);
                  if (mode === 'save-as' && e.kind === 'file') setName(e.name);
                }}
                onDoubleClick={() => activate(e)}
              >
                <span className="file-icon">{e.kind === 'dir' ? '▸' : '◇'}</span>
                <span className="file-label">{e.name}</span>
                <span className="muted small">
                  {e.kind === 'file'
                    ? `${Math.max(1, Math.round(e.size / 1024))} KB · ${new Date(e.mtimeMs).toLocaleString()}`
                    : ''}
                </span>
              </button>
            ))}
            {listing && entries.length === 0 && !error && (
              <div className="muted">
                No graphs here{hidden ? ` (${hidden} other file${hidden === 1 ? '' : 's'} hidden)` : ''}.
              </div>
            )}
          </div>
        </div>
        <label className="show-all">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show all files
        </label>
      </div>
    </Modal>
  );
}
