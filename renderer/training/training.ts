import type { MenuCommand } from '../../graph-schemas';
import { dismissRunToasts } from '../app/ui-store';
import { AttentionQueries } from './attention-queries';
import { announceStop, TrainingStream } from './event-stream';
import { ModelExport } from './model-export';
import { RunControl } from './run-control';
import { RunLibrary } from './run-library';
import type { RunView } from './run-state';
import { isLive } from './run-state';
import type { TrainingContext, TrainingDeps } from './training-context';
import type { DockTab, TrainingStore } from './training-store';
import { createTrainingStore, emptyExplorer } from './training-store';

/**
 * Training in the app: its store (runs, the watched run, the dock, the explorer) and the parts that change it,
 * one per concern. Made once with the other stores of the Studio; listens to the host until disposed.
 */
export class Training {
  readonly store: TrainingStore;
  readonly library: RunLibrary;
  readonly control: RunControl;
  readonly explorer: AttentionQueries;
  readonly exporter: ModelExport;
  readonly stream: TrainingStream;

  constructor(deps: TrainingDeps) {
    const ctx: TrainingContext = { ...deps, store: createTrainingStore() };
    this.store = ctx.store;
    this.library = new RunLibrary(ctx);
    this.control = new RunControl(ctx, this.library);
    this.explorer = new AttentionQueries(ctx);
    this.exporter = new ModelExport(ctx, this.library);
    this.stream = new TrainingStream(ctx, {
      onWatchedGrid: () => this.explorer.refresh(),
      onStopped: (run) => {
        announceStop(ctx, run);
        this.library.refreshListSoon();
      },
    });
    // A run's messages go when it goes: once the live view shows another run, a stopped run's toasts are dismissed.
    this.unwatch = this.store.subscribe((s, prev) => {
      if (prev.watched && s.watched !== prev.watched && !isLive(s.runs[prev.watched]))
        dismissRunToasts(ctx.ui, prev.watched);
    });
  }

  private readonly unwatch: () => void;

  dispose(): void {
    this.unwatch();
    this.stream.dispose();
    this.library.dispose();
  }

  /** The run the live view shows. */
  watchedRun(): RunView | undefined {
    const { watched, runs } = this.store.getState();
    return watched ? runs[watched] : undefined;
  }

  /** The watched run if it is training or paused. */
  liveRun(): RunView | undefined {
    const run = this.watchedRun();
    return isLive(run) ? run : undefined;
  }

  /**
   * Another document was opened (file, preset, recovered snapshot): a watched run that is over belongs to the
   * previous one, so the status bar and the live view forget it (and its messages go). A run still training
   * or paused stays watched: it goes on whatever the editor shows, and can still be paused or stopped.
   */
  documentOpened(): void {
    const { watched, runs } = this.store.getState();
    if (!watched || isLive(runs[watched])) return;
    this.store.setState({ watched: null, explorer: emptyExplorer });
  }

  showDock(tab?: DockTab): void {
    this.store.setState((s) => ({ dockOpen: true, tab: tab ?? s.tab }));
    if (tab === 'runs' || !this.store.getState().listLoaded) void this.library.refreshList();
  }

  toggleDock(): void {
    if (this.store.getState().dockOpen) this.store.setState({ dockOpen: false });
    else this.showDock();
  }

  openTrainDialog(): void {
    this.store.setState({ dialog: { kind: 'train' } });
  }

  closeDialog(): void {
    this.store.setState({ dialog: null });
  }
}

/** The native menu's training commands (run, export, the panel); false for a command that is not training's. */
export function runTrainingCommand(training: Training, command: MenuCommand): boolean {
  const live = training.liveRun();
  switch (command) {
    case 'run-start':
      if (live?.status === 'paused') void training.control.continue(live.runId);
      else if (!live) training.openTrainDialog();
      return true;
    case 'run-pause':
      if (live)
        void (live.status === 'paused' ? training.control.continue(live.runId) : training.control.pause(live.runId));
      return true;
    case 'run-stop':
      if (live) void training.control.stop(live.runId);
      return true;
    case 'toggle-training-panel':
      training.toggleDock();
      return true;
    case 'export-model':
      void training.exporter.exportNewest();
      return true;
    default:
      return false;
  }
}
