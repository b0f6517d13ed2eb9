import type { MessageBoxOptions } from 'electron';
import type { DocumentState } from './desktop-handlers';

export const APP_NAME = 'SAGAN Studio';

/** "• my gan.sagan.json — SAGAN Studio": the document's name, with a dot while it has unsaved changes. */
export function windowTitle(state: DocumentState): string {
  const title = state.title.trim() || 'Untitled';
  return `${state.dirty ? '• ' : ''}${title} — ${APP_NAME}`;
}

export interface CloseDeps {
  state(): DocumentState;
  /** Training runs still going in the engine process (they stop with a checkpoint when the app quits). */
  runningRuns(): Promise<number>;
  ask(options: MessageBoxOptions): Promise<{ response: number }>;
  /** Asks the page to save; resolves with the document state the page reports afterwards (still dirty if the user cancelled). */
  saveAndReport(): Promise<DocumentState>;
}

/**
 * What closing the window asks first: to save unsaved changes (Save / Don't Save / Cancel), and whether to stop
 * training runs that are still going. Resolves true when the app may quit.
 */
export async function confirmClose(deps: CloseDeps): Promise<boolean> {
  const state = deps.state();
  if (state.dirty) {
    const name = state.title.trim() || 'This graph';
    const { response } = await deps.ask({
      type: 'warning',
      title: 'Unsaved changes',
      message: `Save the changes to ${name} before closing?`,
      detail: 'Your changes are lost if you don’t save them.',
      buttons: ['Save', 'Don’t Save', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      noLink: true,
    });
    if (response === 2) return false;
    if (response === 0 && (await deps.saveAndReport()).dirty) return false;
  }
  const running = await deps.runningRuns().catch(() => 0);
  if (running > 0) {
    const runs = running === 1 ? 'A training run is' : `${running} training runs are`;
    const { response } = await deps.ask({
      type: 'question',
      title: 'Training in progress',
      message: `${runs} still going. Stop and quit?`,
      detail: 'Each run saves a checkpoint first; resume it from the run list next time.',
      buttons: ['Stop and Quit', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    });
    if (response !== 0) return false;
  }
  return true;
}
