import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '../../graph-schemas';
import { MetricLog } from './metric-log';

const row = (step: number, lossG = step) => ({
  step,
  lossDReal: step / 10,
  lossDFake: 1,
  lossG,
  itPerSec: 2,
  gammas: [{ nodeId: 'g_attention', network: 'generator' as const, gamma: step / 100 }],
});
const history = (steps: number[]): RunMetrics => ({
  step: steps,
  lossDReal: steps.map((s) => s / 10),
  lossDFake: steps.map(() => 1),
  lossG: steps.map((s) => -s),
  itPerSec: steps.map(() => 1),
  gammas: [{ nodeId: 'g_attention', network: 'generator', values: steps.map((s) => s / 100) }],
});

describe('MetricLog', () => {
  it('fills a gap in the stream (a dropped connection) from the host’s history; streamed rows win', () => {
    const log = new MetricLog();
    for (const s of [1, 2, 6, 7]) log.append(row(s));
    const generation = log.generation;
    log.mergeHistory(history([1, 2, 3, 4, 5, 6, 7]));
    expect(log.step).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(log.lossG).toEqual([1, 2, -3, -4, -5, 6, 7]);
    expect(log.gammas.get('G:g_attention')!.values).toEqual([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]);
    expect(log.generation).toBe(generation + 1);
  });

  it('keeps wall-clock times with their rows: streamed, from the history, and null where none was logged', () => {
    const log = new MetricLog();
    log.append({ ...row(3), wallMs: 3000 });
    log.append(row(4));
    log.mergeHistory({ ...history([1, 2]), wallMs: [1000, null] });
    expect(log.step).toEqual([1, 2, 3, 4]);
    expect(log.wallMs).toEqual([1000, null, 3000, null]);
    log.mergeHistory(history([0]));
    expect(log.wallMs).toEqual([null, 1000, null, 3000, null]);
    // A resume replays from its checkpoint: the rows after it go, their times with them.
    log.append({ ...row(2), wallMs: 9000 });
    expect(log.step).toEqual([0, 1, 2]);
    expect(log.wallMs).toEqual([null, 1000, 9000]);
  });

  it('keeps columns aligned when an attention node appears later or only in the history', () => {
    const log = new MetricLog();
    log.append({ ...row(1), gammas: [] });
    log.append({ ...row(2), gammas: [{ nodeId: 'd_attention', network: 'discriminator', gamma: 0.5 }] });
    expect(log.gammas.get('D:d_attention')!.values).toEqual([null, 0.5]);
    log.mergeHistory(history([0]));
    expect(log.step).toEqual([0, 1, 2]);
    expect(log.gammas.get('D:d_attention')!.values).toEqual([null, null, 0.5]);
    expect(log.gammas.get('G:g_attention')!.values).toEqual([0, null, null]);
  });
});
