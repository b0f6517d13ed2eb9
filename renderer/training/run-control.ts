import type { BackendRequestChoice, RunSummary, TrainingEstimate, TrainingOptions } from '../../graph-schemas';
import { notify } from '../app/ui-store';
import type { RunLibrary } from './run-library';
import { applySummary, emptyRun } from './run-state';
import type { TrainingContext } from './training-context';
import type { BusyWith } from './training-store';
import { emptyExplorer, errorText, setBusy, setRun } from './training-store';

/** Starting and steering runs through the host: estimate, start, pause, continue, stop, resume, sampling. */
export class RunControl {
  constructor(
    private readonly ctx: TrainingContext,
    private readonly library: RunLibrary,
  ) {}

  estimate(options: TrainingOptions): Promise<TrainingEstimate> {
    return this.ctx.api.training.estimate(options);
  }

  /**
   * Starts a run and watches it; throws the host's message (the dialog shows it). `estimate`, the dialog's measured
   * cost, is kept with the run so its first steps can correct it.
   */
  async start(options: TrainingOptions, estimate?: TrainingEstimate, classNames?: string[]): Promise<RunSummary> {
    const { store } = this.ctx;
    const summary = await this.ctx.api.training.start(options);
    const run = applySummary(store.getState().runs[summary.id] ?? emptyRun(summary.id), summary);
    const batchSize = options.batchSize ?? (options.doc as { training?: { batchSize?: number } }).training?.batchSize;
    const kept = estimate
      ? { msPerIteration: estimate.msPerIteration, confidence: estimate.timing.confidence }
      : run.estimate;
    store.setState((s) => ({
      runs: {
        ...s.runs,
        [summary.id]: {
          ...run,
          detailLoaded: true,
          batchSize: batchSize ?? null,
          estimate: kept,
          classNames: classNames?.length ? classNames : run.classNames,
        },
      },
      watched: summary.id,
      dockOpen: true,
      tab: 'live',
      explorer: { ...emptyExplorer, runId: summary.id },
    }));
    this.library.refreshListSoon();
    return summary;
  }

  /** Asks the run to pause; it stays "running" (shown as pausing) until the engine confirms after the iteration in flight. */
  pause(runId: string): Promise<void> {
    const { store } = this.ctx;
    return this.steer(runId, 'pausing', async () => {
      const s = await this.ctx.api.training.pause({ runId });
      const run = store.getState().runs[runId];
      if (run && run.status === 'running') setRun(store, { ...run, pauseRequested: true });
      return { ...s, status: store.getState().runs[runId]?.status === 'paused' ? 'paused' : 'running' };
    });
  }

  continue(runId: string): Promise<void> {
    return this.steer(runId, 'continuing', () => this.ctx.api.training.continue({ runId }));
  }

  stop(runId: string): Promise<void> {
    return this.steer(runId, 'stopping', () => this.ctx.api.training.stop({ runId }));
  }

  resume(runId: string, backend: BackendRequestChoice = 'auto'): Promise<void> {
    return this.steer(runId, 'resuming', async () => {
      const s = await this.ctx.api.training.resume({ runId, backend });
      this.ctx.store.setState({ watched: runId, tab: 'live', dockOpen: true });
      return s;
    });
  }

  setSampleEvery(runId: string, every: number): Promise<void> {
    return this.ctx.api.training.setSampleEvery({ runId, every }).then(
      () => undefined,
      (e: unknown) => notify(this.ctx.ui, 'error', errorText(e), { runId }),
    );
  }

  private async steer(runId: string, what: BusyWith, call: () => Promise<RunSummary>): Promise<void> {
    const { store } = this.ctx;
    setBusy(store, runId, what);
    try {
      const summary = await call();
      const run = applySummary(store.getState().runs[runId] ?? emptyRun(runId), summary, true);
      setRun(store, what === 'resuming' ? { ...run, readOnly: false, stopped: null } : run);
      this.library.refreshListSoon();
    } catch (e) {
      notify(this.ctx.ui, 'error', errorText(e), { runId });
    } finally {
      setBusy(store, runId, undefined);
    }
  }
}
