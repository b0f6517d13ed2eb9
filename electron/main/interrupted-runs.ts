import type { ApiMethod, ResponseMessage, RunSummary } from '../../graph-schemas';
import { RunSummarySchema } from '../../graph-schemas';

/** The methods after which a run trains in the engine, and the one after which it does not. */
const STARTS: ReadonlySet<string> = new Set<ApiMethod>(['training.start', 'training.resume']);
const STOPS: ReadonlySet<string> = new Set<ApiMethod>(['training.stop']);

/**
 * Which runs an engine crash interrupted, so the user is told which ones and the checkpoint to resume each
 * from. Main sees every request it forwards: a run it saw start (or resume) and not stop may be training.
 * After a restart the new engine lists them as stopped (their status file still said running).
 */
export class InterruptedRuns {
  private readonly training = new Set<string>();

  /** A response the engine gave to a request for `method`. */
  saw(method: string, response: ResponseMessage): void {
    if ('error' in response || (!STARTS.has(method) && !STOPS.has(method))) return;
    const run = RunSummarySchema.safeParse(response.result);
    if (!run.success) return;
    if (STARTS.has(method)) this.training.add(run.data.id);
    else this.training.delete(run.data.id);
  }

  /** After a crash: the runs it stopped, and one sentence for the user (null when none); each is reported once. */
  report(runs: readonly RunSummary[]): { runIds: string[]; message: string | null } {
    const stopped = runs.filter((r) => this.training.has(r.id) && r.status === 'stopped');
    this.training.clear();
    const sentences = stopped.map((r) =>
      r.checkpointStep === null
        ? `“${r.name}” stopped at step ${r.step}, before its first checkpoint: start it again.`
        : `“${r.name}” stopped at step ${r.step}: resume it from its last checkpoint (step ${r.checkpointStep}) in the run list.`,
    );
    return { runIds: stopped.map((r) => r.id), message: sentences.length ? sentences.join(' ') : null };
  }
}
