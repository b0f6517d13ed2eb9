import { useCallback, useState } from 'react';
import { Modal } from '../app/Modal';
import { useStudio } from '../app/studio';
import { FolderBrowser } from './FolderBrowser';

export type ExportFormat = 'tfjs' | 'pytorch';

/**
 * Export (the run's button, the menu, the desktop's Export menu): the format (TensorFlow.js model or PyTorch
 * package) and the folder to write. The desktop chooses the folder in its native dialog (`chooseFolder`); a
 * browser, or a desktop whose native dialog is unavailable, in the app's folder browser.
 */
export function ExportDialog({
  runId,
  onClose,
  onExport,
  chooseFolder,
}: {
  runId: string;
  onClose(): void;
  onExport(outDir: string, format: ExportFormat): Promise<boolean>;
  /** The native folder dialog: the chosen folder, null when cancelled; throws where there is none. */
  chooseFolder?: () => Promise<string | null>;
}) {
  const studio = useStudio();
  const host = studio.ui.getState().host;
  const start = host?.documentsDir ?? '.';
  const sep = host?.pathSeparator ?? '/';
  const [native, setNative] = useState(chooseFolder !== undefined);
  const [path, setPath] = useState(native ? start : '');
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState(`${runId}-export`);
  const [format, setFormat] = useState<ExportFormat>('tfjs');
  const target = name.trim() ? `${path.replace(/[\\/]+$/, '')}${sep}${name.trim()}` : path;
  const onPath = useCallback((p: string) => setPath(p), []);
  const choose = async () => {
    try {
      const chosen = await chooseFolder!();
      if (chosen) setPath(chosen);
    } catch {
      setNative(false); // No native dialog after all: the app's folder browser instead.
    }
  };
  return (
    <Modal
      title="Export the model"
      onClose={onClose}
      wide
      testId="export-dialog"
      footer={
        <>
          <span className="muted small" data-testid="export-target">
            Writes {target || '…'}
          </span>
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
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
          <option value="tfjs">TensorFlow.js model</option>
          <option value="pytorch">PyTorch package</option>
        </select>
      </div>
      <p className="muted small">
        {format === 'pytorch'
          ? `The newest checkpoint of run ${runId} becomes a PyTorch package: model.py (one module per block type of the document), its weights, train.py and a README.`
          : `The newest checkpoint of run ${runId} becomes a folder with the tfjs model (model.json and weights), its layers module and a README.`}
      </p>
      {native ? (
        <div className="field">
          <label>Folder</label>
          <div className="path-bar">
            <input
              value={path}
              onChange={(e) => setPath(e.target.value)}
              aria-label="Folder"
              data-testid="folder-path"
            />
            <button className="button small" onClick={() => void choose()} data-testid="export-choose-folder">
              Choose…
            </button>
          </div>
        </div>
      ) : (
        <FolderBrowser start={start} onPath={onPath} />
      )}
      <div className="field">
        <label>New folder name (empty: export into the folder above)</label>
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} data-testid="export-name" />
      </div>
    </Modal>
  );
}
