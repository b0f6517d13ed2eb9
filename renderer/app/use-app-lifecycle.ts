import { useEffect } from 'react';
import { useDesktopShell } from '../desktop/desktop-shell';
import { displayName, serializeDocument } from '../files/file-session';
import { isDirty } from '../store/document-store';
import { actions, pasteText, runAction } from './actions';
import { openPath } from './file-actions';
import { isTextTarget, matchesShortcut } from './shortcuts';
import type { Studio } from './studio';
import { notify } from './ui-store';

/** How long edits must pause before the document is autosaved for crash recovery. */
export const AUTOSAVE_DELAY_MS = 1500;

/** Keyboard shortcuts for every action, on the whole window. */
export function useShortcuts(studio: Studio): void {
  useEffect(() => {
    const systemPaste = !window.saganHost;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const dialogOpen = studio.ui.getState().dialog !== null;
      for (const a of actions) {
        if (!a.shortcuts.some((s) => matchesShortcut(e, s))) continue;
        if (dialogOpen || (isTextTarget(e.target) && !a.inFields)) return;
        // In a browser, left to it: it fires a paste event carrying the system clipboard (see onPaste). The desktop
        // shell's Edit menu runs its own paste command, so there the key runs the action as before.
        if (a.id === 'edit.paste' && systemPaste) return;
        e.preventDefault();
        runAction(studio, a.id);
        return;
      }
    };
    // Reading the clipboard needs no permission inside a paste event, so nodes copied in another window come too.
    const onPaste = (e: ClipboardEvent) => {
      if (e.defaultPrevented || studio.ui.getState().dialog !== null || isTextTarget(e.target)) return;
      e.preventDefault();
      pasteText(studio, e.clipboardData?.getData('text/plain'));
    };
    window.addEventListener('keydown', onKey);
    if (systemPaste) window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, [studio]);
}

/** The window title carries the document's name and a dirty marker; leaving with unsaved changes asks first. */
export function useTitleAndLeaveGuard(studio: Studio): void {
  // In the desktop app the shell shows the title and asks on close (and runs the native menu's commands).
  useDesktopShell(studio);
  useEffect(() => {
    const update = () => {
      const dirty = isDirty(studio.editor.getState());
      document.title = `${dirty ? '• ' : ''}${displayName(studio.editor)} — SAGAN Studio`;
    };
    update();
    const unsubscribe = studio.editor.subscribe(update);
    const onLeave = (e: BeforeUnloadEvent) => {
      if (isDirty(studio.editor.getState())) e.preventDefault();
    };
    window.addEventListener('beforeunload', onLeave);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', onLeave);
    };
  }, [studio]);
}

/** Autosaves unsaved work to the host's recovery file, debounced, so a crash loses at most a moment. */
export function useAutosave(studio: Studio): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let warned = false;
    const unsubscribe = studio.editor.subscribe((state, previous) => {
      if (state.doc === previous.doc) return;
      clearTimeout(timer);
      if (!isDirty(state)) {
        // Back to what is on disk (undo, or a save): an old snapshot would only offer stale work later.
        if (isDirty(previous)) void studio.api.recovery.clear().catch(() => undefined);
        return;
      }
      timer = setTimeout(() => {
        const now = studio.editor.getState();
        if (!isDirty(now)) return;
        studio.api.recovery
          .save({ text: serializeDocument(now.doc), path: now.file.path, name: displayName(studio.editor) })
          .then(
            () => (warned = false),
            (e: Error) => {
              if (!warned)
                notify(studio.ui, 'warning', `Autosave failed, so a crash could lose unsaved work: ${e.message}`);
              warned = true;
            },
          );
      }, AUTOSAVE_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [studio]);
}

/** On start: learn about the host, then offer to restore autosaved work, open ?open=PATH, or show the welcome gallery. */
export function useStartup(studio: Studio): void {
  useEffect(() => {
    let cancelled = false;
    let waitForHost: (() => void) | undefined;
    const offHostNotice = studio.api.on('host.notice', (n) =>
      notify(studio.ui, n.level === 'info' ? 'info' : n.level, n.message),
    );
    const start = async () => {
      try {
        const host = await studio.api.host.info();
        if (cancelled) return;
        studio.ui.setState({ host });
      } catch (e) {
        if (cancelled) return;
        notify(
          studio.ui,
          'error',
          `Cannot reach SAGAN Studio's host: ${(e as Error).message}${window.saganHost ? '' : ' Is `sagan-studio serve` running?'} The page retries when the connection comes back.`,
        );
        // Try again once the transport reconnects.
        waitForHost = studio.ui.subscribe((s, p) => {
          if (s.connection !== 'open' || p.connection === 'open') return;
          waitForHost?.();
          waitForHost = undefined;
          void start();
        });
        return;
      }
      const snapshot = await studio.api.recovery.load().catch(() => null);
      if (cancelled) return;
      if (snapshot) return studio.ui.setState({ dialog: { kind: 'recover', snapshot } });
      const toOpen = new URLSearchParams(location.search).get('open');
      if (toOpen && (await openPath(studio, toOpen))) return;
      if (!cancelled) studio.ui.setState({ dialog: { kind: 'presets', welcome: true } });
    };
    void start();
    return () => {
      cancelled = true;
      waitForHost?.();
      offHostNotice();
    };
  }, [studio]);
}
