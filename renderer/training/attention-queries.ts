import type { TrainingContext } from './training-context';
import type { Point } from './training-store';
import { emptyExplorer, errorText, MAX_QUERY_POINTS } from './training-store';
import { isLive } from './run-state';

/** The attention explorer's questions: query pixels picked on a sample, and the engine's answer for them. */
export class AttentionQueries {
  /** New points arrived while a request was in flight: ask again when it returns. */
  private again = false;

  constructor(private readonly ctx: TrainingContext) {}

  /** A query pixel on a sample: on the explored sample it is added (the oldest goes past 8), on another it starts over. */
  pickPoint(sample: number, point: Point, add = true): void {
    const { explorer, watched } = this.ctx.store.getState();
    const same = explorer.runId === watched && explorer.sample === sample;
    const points = same && add ? [...explorer.points, point].slice(-MAX_QUERY_POINTS) : [point];
    this.ctx.store.setState({
      explorer: { ...explorer, runId: watched, sample, points, answer: same ? explorer.answer : null, error: null },
    });
    void this.request();
  }

  removePoint(index: number): void {
    const { explorer } = this.ctx.store.getState();
    const points = explorer.points.filter((_, i) => i !== index);
    this.ctx.store.setState({ explorer: { ...explorer, points, ...(points.length ? {} : { answer: null }) } });
    if (points.length) void this.request();
  }

  clearPoints(): void {
    this.ctx.store.setState((s) => ({ explorer: { ...emptyExplorer, runId: s.watched } }));
  }

  /** Asks again for the same points (a new sample grid came in: the weights moved). */
  refresh(): void {
    const { explorer, watched } = this.ctx.store.getState();
    if (explorer.runId === watched && explorer.points.length) void this.request();
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
    const asked = { runId: run.runId, points: explorer.points, sample: explorer.sample };
    try {
      const answer = await api.training.attention({
        runId: asked.runId,
        points: asked.points,
        samples: [asked.sample],
      });
      const now = store.getState().explorer;
      const current = now.runId === asked.runId && now.sample === asked.sample && now.points === asked.points;
      store.setState({ explorer: { ...now, ...(current ? { answer } : {}), pending: false } });
    } catch (e) {
      store.setState({ explorer: { ...store.getState().explorer, pending: false, error: errorText(e) } });
    }
    const now = store.getState().explorer;
    const stale = now.points !== asked.points || now.sample !== asked.sample;
    if (this.again || stale) {
      this.again = false;
      if (now.points.length) await this.request();
    }
  }
}
