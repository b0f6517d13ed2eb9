import type {
  ApiEventPayload,
  BackendRequestChoice,
  MenuCommand,
  RunSummary,
  SampleGrid,
  StudioApi,
  TrainingEstimate,
  TrainingOptions,
} from '../../graph-schemas';
import { applyDetail, applySummary, emptyRun, foldEvent, isLive } from './run-state';
import type { RunView } from './run-state';
import type { ActionToast, DockTab, Point, TrainingState, TrainingStore } from './training-store';
import { createTrainingStore, emptyExplorer, MAX_QUERY_POINTS } from './training-store';

type TrainingEventPayload = ApiEventPayload<'training.event'>;

/** What the training view needs from the rest of the app (the studio in the app, fakes in tests). */
export interface TrainingHost {
  api: StudioApi;
  /** The open document's path (its runs are listed), or null when it was never saved. */
  docPath(): string | null;
  hostKind(): 'desktop' | 'web' | null;
  notify(level: 'info' | 'success' | 'warning' | 'error', message: string): void;
  confirm(opts: { title: string; message: string; confirm: string; danger?: boolean }): Promise<boolean>;
  /** Runs `flush` soon (next frame in the app); tests flush by hand. */
  schedule?(flush: () => void): void;
}

const METRIC_POINTS = 20_000;
/**
 * The view is updated at most this often, however fast the run steps: each update costs the page a layout and a
 * paint, and on a 2-core machine the page's time comes out of the training thread's.
 */
export const MIN_UPDATE_INTERVAL_MS = 500;
const SAMPLE_CACHE = 64;
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

let lastFlush = 0;
function defaultSchedule(flush: () => void): void {
  const wait = Math.max(0, lastFlush + MIN_UPDATE_INTERVAL_MS - performance.now());
  setTimeout(() => {
    const run = () => {
      lastFlush = performance.now();
      flush();
    };
    if (
      typeof requestAnimationFrame === 'function' &&
      typeof document !== 'undefined' &&
      document.visibilityState === 'visible'
    )
      requestAnimationFrame(run);
    else run();
  }, wait);
}

/**
 * The stream client: folds the host's training events into the training store (batched: at most one update per
 * MIN_UPDATE_INTERVAL_MS, on an animation frame, however fast the run steps), and steers runs through the API.
 */
export class TrainingClient {
  readonly store: TrainingStore = createTrainingStore();
  private pending: TrainingEventPayload[] = [];
  private scheduled = false;
  private readonly samples = new Map<string, Promise<SampleGrid>>();
  private readonly unsubscribe: (() => void)[] = [];
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private attentionAgain = false;
  private nextToast = 1;

  constructor(private readonly host: TrainingHost) {
    const { api } = host;
    this.unsubscribe.push(
      api.on('training.event', (payload) => this.receive(payload)),
      api.on('runs.changed', () => this.refreshListSoon()),
      api.on('app.command', ({ command }) => this.onMenuCommand(command)),
    );
  }

  dispose(): void {
    this.unsubscribe.forEach((u) => u());
    if (this.listTimer) clearTimeout(this.listTimer);
  }

  get api(): StudioApi {
    return this.host.api;
  }

  get state(): TrainingState {
    return this.store.getState();
  }

  run(runId: string | null | undefined): RunView | undefined {
    return runId ? this.state.runs[runId] : undefined;
  }

  // ---- the event stream ----

  receive(payload: TrainingEventPayload): void {
    this.pending.push(payload);
    if (this.scheduled) return;
    this.scheduled = true;
    (this.host.schedule ?? defaultSchedule)(() => this.flush());
  }

  /** Applies every buffered event in one store update. */
  flush(): void {
    this.scheduled = false;
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const runs = { ...this.state.runs };
    let newGrid = false;
    let stopped: RunView | null = null;
    for (const { runId, event } of batch) {
      runs[runId] = foldEvent(runs[runId] ?? emptyRun(runId), event);
      if (event.type === 'sample' && runId === this.state.watched) newGrid = true;
      if (event.type === 'stopped') stopped = runs[runId]!;
    }
    this.store.setState({ runs });
    if (newGrid && this.state.explorer.runId === this.state.watched && this.state.explorer.points.length)
      void this.requestAttention();
    if (stopped) this.onStopped(stopped);
  }

  private onStopped(run: RunView): void {
    const info = run.stopped!;
    if (info.reason === 'diverged' || info.reason === 'error') this.host.notify('error', info.message);
    else if (run.runId === this.state.watched) this.host.notify('info', info.message);
    this.refreshListSoon();
  }

  // ---- the run list ----

  refreshListSoon(delayMs = 150): void {
    if (this.listTimer) clearTimeout(this.listTimer);
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      void this.refreshList();
    }, delayMs);
  }

  async refreshList(): Promise<RunSummary[]> {
    const scope = this.state.listScope;
    try {
      const list = await this.host.api.runs.list(scope === 'all' ? {} : { docPath: this.host.docPath() });
      const runs = { ...this.state.runs };
      for (const s of list) if (runs[s.id]) runs[s.id] = applySummary(runs[s.id]!, s);
      this.store.setState({ list, runs, listError: null, listLoaded: true });
      // After a reload, keep watching a run of this document that is still training.
      const running = list.find((s) => s.status === 'running' || s.status === 'paused');
      if (!this.state.watched && running) await this.openRun(running.id);
      return list;
    } catch (e) {
      this.store.setState({ listError: `Could not list the runs: ${errorText(e)}`, listLoaded: true });
      return [];
    }
  }

  setListScope(scope: 'document' | 'all'): void {
    this.store.setState({ listScope: scope });
    void this.refreshList();
  }

  /** Shows a run in the live view; loads its logged history, newest sample grid and attention nodes. */
  async openRun(runId: string): Promise<void> {
    const known = this.state.runs[runId];
    this.store.setState((s) => ({
      watched: runId,
      tab: 'live',
      dockOpen: true,
      runs: { ...s.runs, [runId]: known ?? emptyRun(runId) },
    }));
    if (this.state.explorer.runId !== runId) this.store.setState({ explorer: { ...emptyExplorer, runId } });
    if (known?.detailLoaded) return;
    await this.loadDetail(runId);
  }

  async loadDetail(runId: string): Promise<void> {
    try {
      const [detail, metrics] = await Promise.all([
        this.host.api.runs.get({ runId }),
        this.host.api.runs.metrics({ runId, maxPoints: METRIC_POINTS }),
      ]);
      const current = this.state.runs[runId] ?? emptyRun(runId);
      current.log.mergeHistory(metrics);
      const next = applyDetail(current, detail);
      next.readOnly = !isLive(next);
      this.setRun(next);
      if (!next.latestGrid && next.sampleSteps.length) {
        const grid = await this.sample(runId, next.sampleSteps[next.sampleSteps.length - 1]!).catch(() => null);
        const now = this.state.runs[runId];
        if (grid && now && !now.latestGrid) this.setRun({ ...now, latestGrid: grid });
      }
    } catch (e) {
      this.host.notify('error', `Could not open run ${runId}: ${errorText(e)}`);
    }
  }

  /** A stored sample grid (cached; grids never change once written). */
  sample(runId: string, step: number): Promise<SampleGrid> {
    const live = this.state.runs[runId]?.latestGrid;
    if (live?.step === step) return Promise.resolve(live);
    const key = `${runId}@${step}`;
    let grid = this.samples.get(key);
    if (!grid) {
      grid = this.host.api.runs.sample({ runId, step });
      grid.catch(() => this.samples.delete(key));
      this.samples.set(key, grid);
      if (this.samples.size > SAMPLE_CACHE) this.samples.delete(this.samples.keys().next().value!);
    }
    return grid;
  }

  async deleteRun(runId: string): Promise<void> {
    const run = this.state.list.find((r) => r.id === runId);
    const ok = await this.host.confirm({
      title: 'Delete run?',
      message: `Delete run ${run?.name ?? ''} (${runId})${run ? `, ${run.step} of ${run.totalSteps} steps` : ''}, with its checkpoints and samples? This cannot be undone.`,
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.host.api.runs.delete({ runId });
      this.store.setState((s) => {
        const runs = { ...s.runs };
        delete runs[runId];
        return {
          runs,
          list: s.list.filter((r) => r.id !== runId),
          watched: s.watched === runId ? null : s.watched,
          compare: { a: s.compare.a === runId ? null : s.compare.a, b: s.compare.b === runId ? null : s.compare.b },
        };
      });
    } catch (e) {
      this.host.notify('error', errorText(e));
    }
  }

  // ---- steering ----

  estimate(options: TrainingOptions): Promise<TrainingEstimate> {
    return this.host.api.training.estimate(options);
  }

  /** Starts a run and watches it; throws the host's message (the dialog shows it). */
  async start(options: TrainingOptions): Promise<RunSummary> {
    const summary = await this.host.api.training.start(options);
    const run = applySummary(this.state.runs[summary.id] ?? emptyRun(summary.id), summary);
    this.store.setState((s) => ({
      runs: { ...s.runs, [summary.id]: { ...run, detailLoaded: true } },
      watched: summary.id,
      dockOpen: true,
      tab: 'live',
      explorer: { ...emptyExplorer, runId: summary.id },
    }));
    this.refreshListSoon();
    return summary;
  }

  /** Asks the run to pause; it stays "running" (shown as pausing) until the engine confirms after the iteration in flight. */
  pause = (runId: string) =>
    this.steer(runId, 'pausing', async () => {
      const s = await this.host.api.training.pause({ runId });
      const run = this.state.runs[runId];
      if (run && run.status === 'running') this.setRun({ ...run, pauseRequested: true });
      return { ...s, status: this.state.runs[runId]?.status === 'paused' ? 'paused' : 'running' };
    });
  continue = (runId: string) => this.steer(runId, 'continuing', () => this.host.api.training.continue({ runId }));
  stop = (runId: string) => this.steer(runId, 'stopping', () => this.host.api.training.stop({ runId }));
  resume = (runId: string, backend: BackendRequestChoice = 'auto') =>
    this.steer(runId, 'resuming', async () => {
      const s = await this.host.api.training.resume({ runId, backend });
      this.store.setState({ watched: runId, tab: 'live', dockOpen: true });
      return s;
    });

  setSampleEvery(runId: string, every: number): Promise<void> {
    return this.host.api.training.setSampleEvery({ runId, every }).then(
      () => undefined,
      (e: unknown) => this.host.notify('error', errorText(e)),
    );
  }

  private async steer(
    runId: string,
    what: NonNullable<TrainingState['busy'][string]>,
    call: () => Promise<RunSummary>,
  ): Promise<void> {
    this.store.setState((s) => ({ busy: { ...s.busy, [runId]: what } }));
    try {
      const summary = await call();
      const run = applySummary(this.state.runs[runId] ?? emptyRun(runId), summary, true);
      this.setRun(what === 'resuming' ? { ...run, readOnly: false, stopped: null } : run);
      this.refreshListSoon();
    } catch (e) {
      this.host.notify('error', errorText(e));
    } finally {
      this.store.setState((s) => ({ busy: { ...s.busy, [runId]: undefined } }));
    }
  }

  // ---- attention explorer ----

  /** A query pixel on a sample: on the explored sample it is added (the oldest goes past 8), on another it starts over. */
  pickPoint(sample: number, point: Point, add = true): void {
    const { explorer, watched } = this.state;
    const same = explorer.runId === watched && explorer.sample === sample;
    const points = same && add ? [...explorer.points, point].slice(-MAX_QUERY_POINTS) : [point];
    this.store.setState({
      explorer: { ...explorer, runId: watched, sample, points, answer: same ? explorer.answer : null, error: null },
    });
    void this.requestAttention();
  }

  removePoint(index: number): void {
    const { explorer } = this.state;
    const points = explorer.points.filter((_, i) => i !== index);
    this.store.setState({ explorer: { ...explorer, points, ...(points.length ? {} : { answer: null }) } });
    if (points.length) void this.requestAttention();
  }

  clearPoints(): void {
    this.store.setState((s) => ({ explorer: { ...emptyExplorer, runId: s.watched } }));
  }

  /** Asks the engine where the picked points attend; one request in flight, the newest points win. */
  async requestAttention(): Promise<void> {
    const { explorer } = this.state;
    const run = this.run(explorer.runId);
    if (!run || !explorer.points.length) return;
    if (!isLive(run) && run.checkpointStep === null) {
      this.store.setState({
        explorer: {
          ...explorer,
          pending: false,
          error: `Run ${run.name} is ${run.status} and has no checkpoint, so there are no weights to ask where they attend.`,
        },
      });
      return;
    }
    if (explorer.pending) {
      this.attentionAgain = true;
      return;
    }
    this.store.setState({ explorer: { ...explorer, pending: true, error: null } });
    const asked = { runId: run.runId, points: explorer.points, sample: explorer.sample };
    try {
      const answer = await this.host.api.training.attention({
        runId: asked.runId,
        points: asked.points,
        samples: [asked.sample],
      });
      const now = this.state.explorer;
      if (now.runId === asked.runId && now.sample === asked.sample && now.points === asked.points)
        this.store.setState({ explorer: { ...now, answer, pending: false } });
      else this.store.setState({ explorer: { ...now, pending: false } });
    } catch (e) {
      this.store.setState({ explorer: { ...this.state.explorer, pending: false, error: errorText(e) } });
    }
    const stale = this.state.explorer.points !== asked.points || this.state.explorer.sample !== asked.sample;
    if (this.attentionAgain || stale) {
      this.attentionAgain = false;
      if (this.state.explorer.points.length) await this.requestAttention();
    }
  }

  // ---- export ----

  /** Exports a run's newest checkpoint: a native folder dialog on the desktop, the in-app one in a browser. */
  async exportRun(runId: string): Promise<void> {
    if (this.host.hostKind() === 'desktop') {
      try {
        const { path } = await this.host.api.dialogs.chooseFolder({ title: 'Export the model to a folder' });
        if (path) await this.exportTo(runId, path);
        return;
      } catch {
        // No native dialog after all: fall through to the in-app one.
      }
    }
    this.store.setState({ dialog: { kind: 'export', runId } });
  }

  async exportTo(runId: string, outDir: string): Promise<boolean> {
    this.store.setState((s) => ({ busy: { ...s.busy, [runId]: 'exporting' } }));
    try {
      const result = await this.host.api.runs.export({ runId, outDir });
      const desktop = this.host.hostKind() === 'desktop';
      this.toast({
        level: 'success',
        message: `Exported the model to ${result.outDir} (${result.files.length} files).`,
        ...(desktop
          ? {
              action: {
                label: 'Show',
                run: () =>
                  void this.host.api.shell
                    .showItem({ path: result.outDir })
                    .catch((e: unknown) => this.host.notify('error', errorText(e))),
              },
            }
          : {}),
      });
      return true;
    } catch (e) {
      this.host.notify('error', errorText(e));
      return false;
    } finally {
      this.store.setState((s) => ({ busy: { ...s.busy, [runId]: undefined } }));
    }
  }

  toast(t: Omit<ActionToast, 'id'>): void {
    const toast = { ...t, id: this.nextToast++ };
    this.store.setState((s) => ({ toasts: [...s.toasts.slice(-3), toast] }));
    if (t.level !== 'error') setTimeout(() => this.dismissToast(toast.id), 10_000);
  }

  dismissToast(id: number): void {
    this.store.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  }

  // ---- the dock and menu commands ----

  showDock(tab?: DockTab): void {
    this.store.setState((s) => ({ dockOpen: true, tab: tab ?? s.tab }));
    if (tab === 'runs' || !this.state.listLoaded) void this.refreshList();
  }

  toggleDock(): void {
    if (this.state.dockOpen) this.store.setState({ dockOpen: false });
    else this.showDock();
  }

  openTrainDialog(): void {
    this.store.setState({ dialog: { kind: 'train' } });
  }

  /** The watched run if it is training or paused. */
  liveRun(): RunView | undefined {
    const run = this.run(this.state.watched);
    return isLive(run) ? run : undefined;
  }

  onMenuCommand(command: MenuCommand): void {
    const live = this.liveRun();
    switch (command) {
      case 'run-start':
        if (live?.status === 'paused') void this.continue(live.runId);
        else if (!live) this.openTrainDialog();
        break;
      case 'run-pause':
        if (live) void (live.status === 'paused' ? this.continue(live.runId) : this.pause(live.runId));
        break;
      case 'run-stop':
        if (live) void this.stop(live.runId);
        break;
      case 'toggle-training-panel':
        this.toggleDock();
        break;
      case 'export-model':
        void this.exportNewest();
        break;
      default:
        break;
    }
  }

  /** Export (menu): the watched run, else the document's newest run with a checkpoint. */
  async exportNewest(): Promise<void> {
    const watched = this.run(this.state.watched);
    if (watched && watched.checkpointStep !== null) return this.exportRun(watched.runId);
    const list = this.state.listLoaded ? this.state.list : await this.refreshList();
    const run = list.find((r) => r.checkpointStep !== null);
    if (run) return this.exportRun(run.id);
    this.host.notify(
      'info',
      'Nothing to export yet: train the document first (Train → Start training…); a run with a checkpoint can be exported.',
    );
  }

  private setRun(run: RunView): void {
    this.store.setState((s) => ({ runs: { ...s.runs, [run.runId]: run } }));
  }
}
