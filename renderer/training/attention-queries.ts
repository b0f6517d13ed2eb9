import type { TrainingContext } from './training-context';
import type { Point } from './training-store';
import { emptyExplorer, errorText, MAX_QUERY_POINTS } from './training-store';
import { isLive } from './run-state';

/** The attention explorer's questions: query pixels picked on a sample, and the engine's answer for them. */
export class AttentionQueries {
  /** New points arrived while a request was in flight: ask again when it returns. */
  private again = false;

  constructor(private readonly ctx: TrainingContext) {}

  /**
   * A query pixel on a sample of the grid at `step` (null: the newest): on the explored sample it is added (the
   * oldest goes past 8), on another it starts over.
   */
  pickPoint(sample: number, point: Point, add = true, step: number | null = null): void {
    const { explorer, watched } = this.ctx.store.getState();
    const same = explorer.runId === watched && explorer.sample === sample;
    const points = same && add ? [...explorer.points, point].slice(-MAX_QUERY_POINTS) : [point];
    this.ctx.store.setState({
      explorer: {
        ...explorer,
        runId: watched,
        sample,
        points,
        step,
        ...(same ? {} : { answer: null, answerFor: null }),
        error: null,
      },
    });
    void this.request();
  }

  /** The sample grid was scrubbed to `step` (null: back to the newest): the maps are asked again for its weights. */
  showStep(runId: string, step: number | null): void {
    const { explorer } = this.ctx.store.getState();
    if (explorer.runId !== runId) {
      this.ctx.store.setState({ explorer: { ...emptyExplorer, runId, step } });
      return;
    }
    if (explorer.step === step) return;
    this.ctx.store.setState({ explorer: { ...explorer, step, error: null } });
    if (explorer.points.length) void this.request();
  }

  removePoint(index: number): void {
    const { explorer } = this.ctx.store.getState();
    const points = explorer.points.filter((_, i) => i !== index);
    this.ctx.store.setState({ explorer: { ...explorer, points, ...(points.length ? {} : { answer: null }) } });
    if (points.length) void this.request();
  }

  clearPoints(): void {
    this.ctx.store.setState((s) => ({
      explorer: { ...emptyExplorer, runId: s.watched, step: s.explorer.runId === s.watched ? s.explorer.step : null },
    }));
  }

  /** Asks again for the same points (a new sample grid came in: the weights moved); not for a scrubbed-back grid. */
  refresh(): void {
    const { explorer, watched } = this.ctx.store.getState();
    if (explorer.runId === watched && explorer.points.length && explorer.step === null) void this.request();
  }

  /** Asks the engine where the picked points attend; one request in flight, the newest points win. */
  async request(): Promise<void> {
    const { store, api } = this.ctx;
    const { explorer, runs } = store.getState();
    const run = explorer.runId ? runs[explorer.runId] : undefined;
    if (!run || !explorer.points.length) return;
    if (!isLive(run) && run.checkpointStep === null) {
      store.setState({
        explorer: {
          ...explorer,
          pending: false,
          error: `Run ${run.name} is ${run.status} and has no checkpoint, so there are no weights to ask where they attend.`,
        },
      });
      return;
    }
    if (explorer.pending) {
      this.again = true;
      return;
    }
    store.setState({ explorer: { ...explorer, pending: true, error: null } });
    const asked = { runId: run.runId, points: explorer.points, sample: explorer.sample, step: explorer.step };
    try {
      const answer = await api.training.attention({
        runId: asked.runId,
        points: asked.points,
        samples: [asked.sample],
        // A grid scrubbed back: the maps from its step's checkpoint, not from the weights of now.
        ...(asked.step !== null ? { step: asked.step } : {}),
      });
      const now = store.getState().explorer;
      const current =
        now.runId === asked.runId &&
        now.sample === asked.sample &&
        now.points === asked.points &&
        now.step === asked.step;
      store.setState({ explorer: { ...now, ...(current ? { answer, answerFor: asked.step } : {}), pending: false } });
    } catch (e) {
      store.setState({ explorer: { ...store.getState().explorer, pending: false, error: errorText(e) } });
    }
    const now = store.getState().explorer;
    const stale = now.points !== asked.points || now.sample !== asked.sample || now.step !== asked.step;
    if (this.again || stale) {
      this.again = false;
      if (now.points.length) await this.request();
    }
  }
}
