import { describe, expect, it } from 'vitest';
import type { QualityPoint } from '../../graph-schemas';
import { bestPoint } from './QualityChart';
import { emptyRun, foldEvent, mergeQuality } from './run-state';

const point = (step: number, fd: number): QualityPoint => ({
  step,
  network: 'digit-classifier-v1',
  names: { fd: 'FD (digit classifier)', kid: 'KID (digit classifier)' },
  samples: 2000,
  fd,
  kid: fd / 100,
  kidStd: 0.01,
  accuracy: 0.4,
  score: 2,
  ema: true,
  seconds: 30,
  trainSeconds: 900,
});

describe('quality in the live view', () => {
  it('streamed measurements join the loaded ones in step order, one per step', () => {
    let run = emptyRun('r');
    run = foldEvent(run, { type: 'quality', point: point(2000, 80) });
    run = foldEvent(run, { type: 'quality', point: point(1000, 120) });
    expect(run.quality.map((p) => p.step)).toEqual([1000, 2000]);
    const merged = mergeQuality([point(0, 300), point(1000, 119)], run.quality);
    expect(merged.map((p) => [p.step, p.fd])).toEqual([
      [0, 300],
      [1000, 120],
      [2000, 80],
    ]);
  });

  it('the best measurement is the lowest FD', () => {
    expect(bestPoint([point(0, 300), point(1000, 70), point(2000, 80)])!.step).toBe(1000);
    expect(bestPoint([])).toBeNull();
  });
});
