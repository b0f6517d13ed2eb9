import type { MessageBoxOptions } from 'electron';
import type { DocumentState } from './desktop-handlers';

export const APP_NAME = 'SAGAN Studio';

/** "• my gan.sagan.json — SAGAN Studio": the document's name, with a dot while it has unsaved changes. */
export function windowTitle(state: DocumentState): string {
  const title = state.title.trim() || 'Untitled';
  return `${state.dirty ? '• ' : ''}${title} — ${APP_NAME}`;
}

export interface CloseDeps {
  /** The document as the page last reported it. */
  state(): DocumentState;
  /** False once the page's renderer has crashed: it cannot save any more. */
  pageAlive(): boolean;
  /** Training runs still going in the engine process (they stop with a checkpoint when the app quits). */
  runningRuns(): Promise<number>;
  ask(options: MessageBoxOptions): Promise<{ response: number }>;
  /**
   * Asks the page to save; resolves with the document state the page reports afterwards (still dirty if the user
   * cancelled), or null when the page did not answer.
   */
  saveAndReport(): Promise<DocumentState | null>;
}

/**
 * What closing the window asks first: to save unsaved changes (Save / Don't Save / Cancel), and whether to stop
 * training runs that are still going. Resolves true when the app may quit.
 */
export async function confirmClose(deps: CloseDeps): Promise<boolean> {
  const state = deps.state();
  const name = state.title.trim() || 'This graph';
  /** When the page cannot save, the user decides whether to lose what the autosave does not hold. */
  const quitAnyway = async (message: string) =>
    (
      await deps.ask({
        type: 'warning',
        title: 'Unsaved changes',
        message,
        detail:
          'Changes since the last autosave are lost. The autosaved copy is offered when SAGAN Studio starts again.',
        buttons: ['Quit Anyway', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      })
    ).response === 0;
  if (state.dirty && !deps.pageAlive()) {
    if (!(await quitAnyway(`${name} cannot be saved now: the editor stopped working. Quit anyway?`))) return false;
  } else if (state.dirty) {
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
    if (response === 0) {
      const saved = await deps.saveAndReport();
      if (saved === null) {
        if (!(await quitAnyway(`${name} could not be saved: the editor did not answer. Quit anyway?`))) return false;
      } else if (saved.dirty) return false;
    }
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
