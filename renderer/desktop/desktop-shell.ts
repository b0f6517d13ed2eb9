import { useEffect } from 'react';
import type { ApiParams } from '../../graph-schemas';
import type { Studio } from '../app/studio';
import type { Dialog } from '../app/ui-store';
import { notify } from '../app/ui-store';
import { displayName } from '../files/file-session';
import { isDirty } from '../store/document-store';
import { runMenuCommand } from './menu-commands';
import { openWithNativeDialog, saveAsWithNativeDialog } from './native-files';

export type DocumentState = ApiParams<'app.documentState'>;

/** What the desktop shell shows of the document: its name (window title), file (Open Recent, macOS proxy icon), unsaved state. */
export function documentState(studio: Studio): DocumentState {
  const state = studio.editor.getState();
  return { title: displayName(studio.editor), path: state.file.path, dirty: isDirty(state) };
}

/**
 * In the desktop app: native Open and Save As dialogs instead of the in-app ones, the document's state kept in
 * the shell (title, unsaved-changes prompt on close), and the native menu's commands run as actions.
 * Returns the function that undoes all of it.
 */
export function attachDesktopShell(studio: Studio): () => void {
  let sent = '';
  const report = (force = false) => {
    const state = documentState(studio);
    const key = JSON.stringify(state);
    if (key === sent && !force) return;
    sent = key;
    void studio.api.app.documentState(state).catch(() => undefined);
  };
  report();
  const offEditor = studio.editor.subscribe(() => report());

  // The in-app file dialog stays for the browser; here the actions that open it get the native one.
  const offDialogs = studio.ui.subscribe((state, previous) => {
    const kind = state.dialog?.kind;
    if ((kind !== 'open' && kind !== 'save-as') || previous.dialog === state.dialog) return;
    const before: Dialog | null =
      previous.dialog && previous.dialog.kind !== 'open' && previous.dialog.kind !== 'save-as' ? previous.dialog : null;
    studio.ui.setState({ dialog: null });
    void (kind === 'open' ? openWithNativeDialog(studio) : saveAsWithNativeDialog(studio)).then((done) => {
      // Cancelled: back to what was showing (the welcome gallery, say), if nothing else has opened since.
      if (!done && before && studio.ui.getState().dialog === null) studio.ui.setState({ dialog: before });
    });
  });

  const offCommands = studio.api.on('app.command', ({ command, path }) => {
    void runMenuCommand(studio, command, path)
      .catch((e: unknown) =>
        notify(studio.ui, 'error', `${command} failed: ${e instanceof Error ? e.message : String(e)}`),
      )
      // After a save the shell waits for this to decide whether closing may go on.
      .finally(() => report(command === 'save'));
  });

  return () => {
    offEditor();
    offDialogs();
    offCommands();
  };
}

/** attachDesktopShell once the host turns out to be the desktop app; nothing in a browser. */
export function useDesktopShell(studio: Studio): void {
  useEffect(() => {
    let detach: (() => void) | undefined;
    const attachIfDesktop = () => {
      const host = studio.ui.getState().host;
      if (!host || detach) return;
      if (host.kind === 'desktop') detach = attachDesktopShell(studio);
      offHost();
    };
    const offHost = studio.ui.subscribe(attachIfDesktop);
    attachIfDesktop();
    return () => {
      offHost();
      detach?.();
    };
  }, [studio]);
}
