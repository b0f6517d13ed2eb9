import { useCallback, useState } from 'react';
import type { StudioApi } from '../../graph-schemas';
import { Modal } from '../app/Modal';
import { useStudio } from '../app/studio';
import type { UiStore } from '../app/ui-store';
import { FolderBrowser } from '../training/FolderBrowser';
import { folderName, latentOpenStore, openLatentExplorer } from './latent-open';

/** Explore an export…: the desktop's native folder dialog, else the app's folder browser. */
export async function exploreExport(deps: { api: StudioApi; ui: UiStore }): Promise<void> {
  if (deps.ui.getState().host?.kind === 'desktop') {
    try {
      const { path } = await deps.api.dialogs.chooseFolder({ title: 'Open an exported model folder' });
      if (path) openLatentExplorer({ kind: 'export', dir: path }, folderName(path));
      return;
    } catch {
      // No native dialog after all: the app's folder browser instead.
    }
  }
  latentOpenStore.setState({ pickingExport: true });
}

/** The app's folder browser for an export folder (one with export.json, as `sagan-studio export` writes). */
export function ExportPicker() {
  const studio = useStudio();
  const host = studio.ui.getState().host;
  const [path, setPath] = useState(host?.documentsDir ?? '.');
  const onPath = useCallback((p: string) => setPath(p), []);
  const close = () => latentOpenStore.setState({ pickingExport: false });
  return (
    <Modal
      title="Explore an exported model"
      onClose={close}
      wide
      testId="latent-export-picker"
      footer={
        <>
          <span className="muted small">
            Explores <span data-testid="latent-export-path">{path}</span> (a folder an export wrote: it holds
            export.json).
          </span>
          <span className="spacer" />
          <button className="button" onClick={close}>
            Cancel
          </button>
          <button
            className="button primary"
            disabled={!path.trim()}
            onClick={() => openLatentExplorer({ kind: 'export', dir: path }, folderName(path))}
            data-testid="latent-export-open"
          >
            Explore
          </button>
        </>
      }
    >
      <FolderBrowser start={host?.documentsDir ?? '.'} onPath={onPath} />
    </Modal>
  );
}
