import type { RunMetrics } from '../../graph-schemas';

type Network = 'generator' | 'discriminator';
export type Column = (number | null)[];

/** Key of an attention node or spectral-norm layer across both networks. */
export const nodeKey = (network: Network, nodeId: string) => `${network === 'generator' ? 'G' : 'D'}:${nodeId}`;

export interface StepRow {
  step: number;
  lossDReal: number;
  lossDFake: number;
  lossG: number;
  itPerSec: number;
  /** Wall-clock time of the step (ms since the Unix epoch); absent from hosts before it was sent. */
  wallMs?: number;
  gammas: { nodeId: string; network: Network; gamma: number }[];
}

/**
 * A run's metrics as aligned columns (one entry per logged step, steps increasing), grown in place as step
 * events arrive so 100k rows cost no copying; `version` changes with every change, `generation` when the
 * rows were replaced rather than appended (charts then recompute instead of extending).
 */
export class MetricLog {
  step: number[] = [];
  lossDReal: Column = [];
  lossDFake: Column = [];
  lossG: Column = [];
  itPerSec: Column = [];
  /** Wall-clock ms of each row; null where it was not recorded (older runs). */
  wallMs: Column = [];
  /** γ per attention node (key from nodeKey), aligned with `step`. */
  readonly gammas = new Map<string, { nodeId: string; network: Network; values: Column }>();
  version = 0;
  generation = 0;

  get length(): number {
    return this.step.length;
  }

  get lastStep(): number | null {
    return this.step.length ? this.step[this.step.length - 1]! : null;
  }

  /** Adds a step; a step at or before the last one (a resumed run replays from its checkpoint) drops the rows after it. */
  append(row: StepRow): void {
    const last = this.lastStep;
    if (last !== null && row.step <= last) this.truncateFrom(row.step);
    const at = this.step.length;
    this.step.push(row.step);
    this.lossDReal.push(row.lossDReal);
    this.lossDFake.push(row.lossDFake);
    this.lossG.push(row.lossG);
    this.itPerSec.push(row.itPerSec);
    this.wallMs.push(row.wallMs ?? null);
    for (const g of row.gammas) this.gammaColumn(g.network, g.nodeId, at).push(g.gamma);
    for (const col of this.gammas.values()) if (col.values.length < at + 1) col.values.push(null);
    this.version++;
  }

  /**
   * Merges the host's logged history (reduced to at most maxPoints rows) with what streamed in live: every
   * history row whose step did not stream (before the view opened, or while the connection was down) is put
   * in its place; streamed rows win where both have a step.
   */
  mergeHistory(history: RunMetrics): void {
    const liveSteps = new Set(this.step);
    const keys = [...new Set([...this.gammas.keys(), ...history.gammas.map((g) => nodeKey(g.network, g.nodeId))])];
    const pastGamma = new Map(history.gammas.map((g) => [nodeKey(g.network, g.nodeId), g] as const));
    const merged = {
      step: [] as number[],
      dReal: [] as Column,
      dFake: [] as Column,
      g: [] as Column,
      it: [] as Column,
      wall: [] as Column,
      gammas: keys.map(() => [] as Column),
    };
    const take = (from: 'live' | 'past', i: number) => {
      const live = from === 'live';
      merged.step.push(live ? this.step[i]! : history.step[i]!);
      merged.dReal.push(live ? this.lossDReal[i]! : history.lossDReal[i]!);
      merged.dFake.push(live ? this.lossDFake[i]! : history.lossDFake[i]!);
      merged.g.push(live ? this.lossG[i]! : history.lossG[i]!);
      merged.it.push(live ? this.itPerSec[i]! : history.itPerSec[i]!);
      merged.wall.push((live ? this.wallMs[i] : history.wallMs?.[i]) ?? null);
      keys.forEach((key, k) =>
        merged.gammas[k]!.push((live ? this.gammas.get(key)?.values[i] : pastGamma.get(key)?.values[i]) ?? null),
      );
    };
    let a = 0;
    let b = 0;
    while (a < this.step.length || b < history.step.length) {
      if (b < history.step.length && liveSteps.has(history.step[b]!)) b++;
      else if (b < history.step.length && (a >= this.step.length || history.step[b]! < this.step[a]!))
        take('past', b++);
      else take('live', a++);
    }
    this.step = merged.step;
    this.lossDReal = merged.dReal;
    this.lossDFake = merged.dFake;
    this.lossG = merged.g;
    this.itPerSec = merged.it;
    this.wallMs = merged.wall;
    keys.forEach((key, k) => {
      const known = this.gammas.get(key) ?? pastGamma.get(key)!;
      this.gammas.set(key, { nodeId: known.nodeId, network: known.network, values: merged.gammas[k]! });
    });
    this.version++;
    this.generation++;
  }

  private gammaColumn(network: Network, nodeId: string, at: number): Column {
    const key = nodeKey(network, nodeId);
    let col = this.gammas.get(key);
    if (!col) {
      col = { nodeId, network, values: new Array<null>(at).fill(null) };
      this.gammas.set(key, col);
    }
    return col.values;
  }

  private truncateFrom(step: number): void {
    let n = this.step.length;
    while (n > 0 && this.step[n - 1]! >= step) n--;
    for (const col of [this.step, this.lossDReal, this.lossDFake, this.lossG, this.itPerSec, this.wallMs])
      col.length = n;
    for (const g of this.gammas.values()) g.values.length = Math.min(g.values.length, n);
    this.generation++;
  }
}
