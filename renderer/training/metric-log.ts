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
    for (const g of row.gammas) this.gammaColumn(g.network, g.nodeId, at).push(g.gamma);
    for (const col of this.gammas.values()) if (col.values.length < at + 1) col.values.push(null);
    this.version++;
  }

  /**
   * Puts the host's logged history (reduced to at most maxPoints rows) in front of what streamed in live:
   * rows of the history from before the first live step, then the live rows.
   */
  mergeHistory(history: RunMetrics): void {
    const firstLive = this.step.length ? this.step[0]! : Infinity;
    let n = 0;
    while (n < history.step.length && history.step[n]! < firstLive) n++;
    const live = { step: this.step, dReal: this.lossDReal, dFake: this.lossDFake, g: this.lossG, it: this.itPerSec };
    this.step = [...history.step.slice(0, n), ...live.step];
    this.lossDReal = [...history.lossDReal.slice(0, n), ...live.dReal];
    this.lossDFake = [...history.lossDFake.slice(0, n), ...live.dFake];
    this.lossG = [...history.lossG.slice(0, n), ...live.g];
    this.itPerSec = [...history.itPerSec.slice(0, n), ...live.it];
    const liveCount = live.step.length;
    const keys = new Set([...this.gammas.keys(), ...history.gammas.map((g) => nodeKey(g.network, g.nodeId))]);
    for (const key of keys) {
      const past = history.gammas.find((g) => nodeKey(g.network, g.nodeId) === key);
      const current = this.gammas.get(key);
      const head: Column = past ? past.values.slice(0, n) : new Array<null>(n).fill(null);
      const tail: Column = current ? current.values : new Array<null>(liveCount).fill(null);
      this.gammas.set(key, { nodeId: (past ?? current)!.nodeId, network: (past ?? current)!.network, values: [...head, ...tail] });
    }
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
    for (const col of [this.step, this.lossDReal, this.lossDFake, this.lossG, this.itPerSec]) col.length = n;
    for (const g of this.gammas.values()) g.values.length = Math.min(g.values.length, n);
    this.generation++;
  }
}
