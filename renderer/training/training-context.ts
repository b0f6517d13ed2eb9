import type { StudioApi } from '../../graph-schemas';
import type { UiStore } from '../app/ui-store';
import type { Schedule } from './frame-throttle';
import type { TrainingStore } from './training-store';

/** What training needs from the rest of the app. */
export interface TrainingDeps {
  api: StudioApi;
  /** The app's UI store: its toasts, its confirm dialog, the host's kind. */
  ui: UiStore;
  /** The open document's path (its runs are listed), or null when it was never saved. */
  docPath(): string | null;
  /** When buffered stream events are applied; the app throttles to animation frames, tests flush by hand. */
  schedule?: Schedule;
}

/** What each part of training shares: the deps and the training store. */
export interface TrainingContext extends TrainingDeps {
  store: TrainingStore;
}

export const isDesktop = (ctx: TrainingContext) => ctx.ui.getState().host?.kind === 'desktop';
