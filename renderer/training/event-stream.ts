import type { ApiEventPayload } from '../../graph-schemas';
import { notify } from '../app/ui-store';
import { frameThrottle } from './frame-throttle';
import type { Schedule } from './frame-throttle';
import { emptyRun, foldEvent } from './run-state';
import type { RunView } from './run-state';
import type { TrainingContext } from './training-context';

type TrainingEventPayload = ApiEventPayload<'training.event'>;

/** What the stream tells the other parts of training about. */
export interface StreamListener {
  /** A new sample grid of the watched run arrived (the weights moved on). */
  onWatchedGrid(): void;
  /** A run stopped (finished, stopped, diverged or failed). */
  onStopped(run: RunView): void;
}

/**
 * The host's training events folded into the training store, batched: buffered as they arrive and applied in one
 * store update when the scheduler says (at most every MIN_UPDATE_INTERVAL_MS, on an animation frame, in the app).
 */
export class TrainingStream {
  private pending: TrainingEventPayload[] = [];
  private scheduled = false;
  private readonly schedule: Schedule;
  private readonly off: () => void;

  constructor(
    private readonly ctx: TrainingContext,
    private readonly listener: StreamListener,
  ) {
    this.schedule = ctx.schedule ?? frameThrottle();
    this.off = ctx.api.on('training.event', (payload) => this.receive(payload));
  }

  dispose(): void {
    this.off();
  }

  receive(payload: TrainingEventPayload): void {
    this.pending.push(payload);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Applies every buffered event in one store update. */
  flush(): void {
    this.scheduled = false;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const { store } = this.ctx;
    const { watched } = store.getState();
    const runs = { ...store.getState().runs };
    let newGrid = false;
    const stopped: RunView[] = [];
    for (const { runId, event } of batch) {
      runs[runId] = foldEvent(runs[runId] ?? emptyRun(runId), event);
      if (event.type === 'sample' && runId === watched) newGrid = true;
      if (event.type === 'stopped') stopped.push(runs[runId]!);
    }
    store.setState({ runs });
    if (newGrid) this.listener.onWatchedGrid();
    for (const run of stopped) this.listener.onStopped(run);
  }
}

/** The message a stopped run leaves: errors always, the end of the watched run as information. */
export function announceStop(ctx: TrainingContext, run: RunView): void {
  const info = run.stopped;
  if (!info) return;
  const { runId } = run;
  if (info.reason === 'diverged' || info.reason === 'error') notify(ctx.ui, 'error', info.message, { runId });
  else if (runId === ctx.store.getState().watched) notify(ctx.ui, 'info', info.message, { runId });
}
