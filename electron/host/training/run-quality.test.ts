import { describe, expect, it } from 'vitest';
import { bestQuality, metricColumns, qualityPoints } from './run-store';

const q = (fd: number) => ({
  network: 'digit-classifier-v1',
  names: { fd: 'FD (digit classifier)', kid: 'KID (digit classifier)' },
  samples: 2000,
  fd,
  kid: fd / 100,
  kidStd: 0.1,
  accuracy: 0.5,
  score: 3,
  ema: true,
  seconds: 10,
  trainSeconds: 300,
});

const lines = [
  { step: 0, quality: q(300) },
  { step: 1, lossD: 2, lossDReal: 1, lossDFake: 1, lossG: 0.5, msPerIt: 100 },
  { step: 2, lossD: 1.5, lossDReal: 1, lossDFake: 0.5, lossG: 0.7, msPerIt: 100 },
  { step: 2, quality: q(120) },
  { step: 3, lossD: 1.4, lossDReal: 0.9, lossDFake: 0.5, lossG: 0.8, msPerIt: 100 },
  { step: 4, lossD: 1.3, lossDReal: 0.8, lossDFake: 0.5, lossG: 0.9, msPerIt: 100 },
  { step: 4, quality: { ...q(140), fd: 'not a number' } }, // damaged: left out
  { step: 6, quality: q(150) },
];

describe('quality lines in metrics.jsonl', () => {
  it('are read apart from the loss lines, which keep one row per step', () => {
    const m = metricColumns(lines, 100);
    expect(m.step).toEqual([1, 2, 3, 4]);
    expect(m.lossG).toEqual([0.5, 0.7, 0.8, 0.9]);
    expect(m.quality!.map((p) => [p.step, p.fd])).toEqual([
      [0, 300],
      [2, 120],
      [6, 150],
    ]);
  });

  it('carry the wall-clock time of each loss line, null where a line has none', () => {
    const timed = [{ ...lines[1]!, wallMs: 1000 }, { ...lines[2]!, wallMs: 2500 }, lines[4]!];
    expect(metricColumns(timed, 100).wallMs).toEqual([1000, 2500, null]);
  });

  it('are never thinned with the losses', () => {
    expect(metricColumns(lines, 2).step).toEqual([1, 3, 4]);
    expect(metricColumns(lines, 2).quality).toHaveLength(3);
  });

  it('give the latest and the best (lowest FD) measurement', () => {
    const points = qualityPoints(lines);
    expect(points.at(-1)!.step).toBe(6);
    expect(bestQuality(points)!.step).toBe(2);
    expect(bestQuality([])).toBeNull();
  });
});
