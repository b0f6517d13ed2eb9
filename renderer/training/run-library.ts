import type { RunSummary, SampleGrid } from '../../graph-schemas';
import { confirmDialog, dismissRunToasts, notify } from '../app/ui-store';
import { applyDetail, applySummary, emptyRun, isLive, mergeQuality } from './run-state';
import type { TrainingContext } from './training-context';
import { emptyExplorer, errorText, setRun } from './training-store';

const METRIC_POINTS = 20_000;
const SAMPLE_CACHE = 64;

/** The runs the host keeps: the list, a run's logged history and stored sample grids, deleting a run. */
export class RunLibrary {
  private readonly samples = new Map<string, Promise<SampleGrid>>();
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly off: () => void;

  constructor(private readonly ctx: TrainingContext) {
    this.off = ctx.api.on('runs.changed', () => this.refreshListSoon());
  }

  dispose(): void {
    this.off();
    if (this.listTimer) clearTimeout(this.listTimer);
  }

  /** Lists again shortly (a burst of changes makes one request). */
  refreshListSoon(delayMs = 150): void {
    if (this.listTimer) clearTimeout(this.listTimer);
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      void this.refreshList();
    }, delayMs);
  }

  async refreshList(): Promise<RunSummary[]> {
    const { store, api } = this.ctx;
    const scope = store.getState().listScope;
    try {
      const list = await api.runs.list(scope === 'all' ? {} : { docPath: this.ctx.docPath() });
      const runs = { ...store.getState().runs };
      for (const s of list) if (runs[s.id]) runs[s.id] = applySummary(runs[s.id]!, s);
      store.setState({ list, runs, listError: null, listLoaded: true });
      // After a reload, keep watching a run of this document that is still training.
      const running = list.find((s) => s.status === 'running' || s.status === 'paused');
      if (!store.getState().watched && running) await this.openRun(running.id);
      return list;
    } catch (e) {
      store.setState({ listError: `Could not list the runs: ${errorText(e)}`, listLoaded: true });
      return [];
    }
  }

  setListScope(scope: 'document' | 'all'): void {
    this.ctx.store.setState({ listScope: scope });
    void this.refreshList();
  }

  /** Shows a run in the live view; loads its logged history, newest sample grid and attention nodes. */
  async openRun(runId: string): Promise<void> {
    const { store } = this.ctx;
    const known = store.getState().runs[runId];
    store.setState((s) => ({
      watched: runId,
      tab: 'live',
      dockOpen: true,
      runs: { ...s.runs, [runId]: known ?? emptyRun(runId) },
      ...(s.explorer.runId !== runId ? { explorer: { ...emptyExplorer, runId } } : {}),
    }));
    if (known?.detailLoaded) return;
    await this.loadDetail(runId);
  }

  async loadDetail(runId: string): Promise<void> {
    const { store, api } = this.ctx;
    try {
      const [detail, metrics] = await Promise.all([
        api.runs.get({ runId }),
        api.runs.metrics({ runId, maxPoints: METRIC_POINTS }),
      ]);
      const current = store.getState().runs[runId] ?? emptyRun(runId);
      current.log.mergeHistory(metrics);
      const next = applyDetail(current, detail);
      next.quality = mergeQuality(metrics.quality ?? [], next.quality);
      next.readOnly = !isLive(next);
      setRun(store, next);
      if (!next.latestGrid && next.sampleSteps.length) {
        const grid = await this.sample(runId, next.sampleSteps[next.sampleSteps.length - 1]!).catch(() => null);
        const now = store.getState().runs[runId];
        if (grid && now && !now.latestGrid) setRun(store, { ...now, latestGrid: grid });
      }
    } catch (e) {
      notify(this.ctx.ui, 'error', `Could not open run ${runId}: ${errorText(e)}`, { runId });
    }
  }

  /** A stored sample grid (cached; grids never change once written). */
  sample(runId: string, step: number): Promise<SampleGrid> {
    const live = this.ctx.store.getState().runs[runId]?.latestGrid;
    if (live?.step === step) return Promise.resolve(live);
    const key = `${runId}@${step}`;
    let grid = this.samples.get(key);
    if (!grid) {
      grid = this.ctx.api.runs.sample({ runId, step });
      grid.catch(() => this.samples.delete(key));
      this.samples.set(key, grid);
      if (this.samples.size > SAMPLE_CACHE) this.samples.delete(this.samples.keys().next().value!);
    }
    return grid;
  }

  async deleteRun(runId: string): Promise<void> {
    const { store, api, ui } = this.ctx;
    const run = store.getState().list.find((r) => r.id === runId);
    const ok = await confirmDialog(ui, {
      title: 'Delete run?',
      message: `Delete run ${run?.name ?? ''} (${runId})${run ? `, ${run.step} of ${run.totalSteps} steps` : ''}, with its checkpoints and samples? This cannot be undone.`,
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await api.runs.delete({ runId });
      store.setState((s) => {
        const runs = { ...s.runs };
        delete runs[runId];
        return {
          runs,
          list: s.list.filter((r) => r.id !== runId),
          watched: s.watched === runId ? null : s.watched,
          compare: { a: s.compare.a === runId ? null : s.compare.a, b: s.compare.b === runId ? null : s.compare.b },
        };
      });
      dismissRunToasts(ui, runId);
    } catch (e) {
      notify(ui, 'error', errorText(e), { runId });
    }
  }
}
