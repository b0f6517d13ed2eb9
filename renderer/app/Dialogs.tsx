import { FileDialog } from '../files/FileDialog';
import { PresetGallery } from '../files/PresetGallery';
import { actions } from './actions';
import { restore } from './file-actions';
import { Modal } from './Modal';
import { GettingStartedDialog } from './GettingStarted';
import { GroupDialog } from './GroupDialog';
import { formatShortcut } from './shortcuts';
import { useStudio, useUi } from './studio';

/** Whichever dialog is open. */
export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'presets':
      return <PresetGallery welcome={dialog.welcome} />;
    case 'open':
      return <FileDialog mode="open" />;
    case 'save-as':
      return <FileDialog mode="save-as" />;
    case 'recover':
      return <RecoverDialog />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    case 'getting-started':
      return <GettingStartedDialog />;
    case 'group':
      return <GroupDialog network={dialog.network} nodeIds={dialog.nodeIds} />;
    case 'confirm':
      return (
        <Modal
          title={dialog.title}
          onClose={() => dialog.resolve(false)}
          testId="confirm-dialog"
          footer={
            <>
              <span className="spacer" />
              <button className="button" onClick={() => dialog.resolve(false)}>
                Cancel
              </button>
              <button
                className={`button ${dialog.danger ? 'danger' : 'primary'}`}
                onClick={() => dialog.resolve(true)}
                autoFocus
              >
                {dialog.confirm}
              </button>
            </>
          }
        >
          <p>{dialog.message}</p>
        </Modal>
      );
  }
}

function RecoverDialog() {
  const studio = useStudio();
  const dialog = useUi((s) => s.dialog);
  if (dialog?.kind !== 'recover') return null;
  const { snapshot } = dialog;
  const discard = () => {
    studio.ui.setState({ dialog: { kind: 'presets', welcome: true } });
    void studio.api.recovery.clear().catch(() => undefined);
  };
  return (
    <Modal
      title="Restore unsaved work?"
      onClose={discard}
      testId="recover-dialog"
      footer={
        <>
          <span className="spacer" />
          <button className="button danger" onClick={discard}>
            Discard it
          </button>
          <button
            className="button primary"
            autoFocus
            onClick={() => {
              studio.ui.setState({ dialog: null });
              void restore(studio, snapshot);
            }}
          >
            Restore
          </button>
        </>
      }
    >
      <p>
        SAGAN Studio closed while <strong>{snapshot.name}</strong> had unsaved changes. A copy was autosaved at{' '}
        {new Date(snapshot.savedAt).toLocaleString()}
        {snapshot.path ? ` (its file is ${snapshot.path})` : ''}.
      </p>
      <p className="muted">Restore it to continue where you left off, or discard the copy.</p>
    </Modal>
  );
}

function ShortcutsDialog() {
  const studio = useStudio();
  return (
    <Modal title="Keyboard shortcuts" onClose={() => studio.ui.setState({ dialog: null })}>
      <table className="shortcuts">
        <tbody>
          {actions
            .filter((a) => a.shortcuts.length > 0)
            .map((a) => (
              <tr key={a.id}>
                <td>{a.label}</td>
                <td>
                  {a.shortcuts.map((s) => (
                    <kbd key={formatShortcut(s)}>{formatShortcut(s)}</kbd>
                  ))}
                </td>
              </tr>
            ))}
          <tr>
            <td>Select several blocks</td>
            <td>
              <kbd>Shift</kbd>/<kbd>Ctrl</kbd>+click, <kbd>Shift</kbd>+drag
            </td>
          </tr>
          <tr>
            <td>Insert a block into a connection</td>
            <td>drop it on the connection</td>
          </tr>
        </tbody>
      </table>
    </Modal>
  );
}
