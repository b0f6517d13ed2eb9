import { describe, expect, it } from 'vitest';
import { tinyMnistDoc } from '../../engine/node/run/test-fixtures';
import { metricColumns, newRunId, RunStore, runClassNames } from './run-store';

describe('run ids', () => {
  it('say what was trained and when, and sort by start time', () => {
    const a = newRunId('SAGAN 32×32 (reference)', new Date('2026-11-26T21:30:55Z'), () => 0.5);
    const b = newRunId('SAGAN 32×32 (reference)', new Date('2026-11-26T21:31:02Z'), () => 0);
    expect(a).toBe('sagan-32-32-reference-20261126-213055-7fff');
    expect(a < b).toBe(true);
    expect(newRunId('***', new Date('2026-01-01T00:00:00Z'), () => 0)).toBe('run-20260101-000000-0000');
  });

  it('never name a folder outside the runs folder', () => {
    const store = new RunStore('/runs');
    expect(store.dir('abc-1')).toBe('/runs/abc-1');
    for (const bad of ['../x', 'a/b', 'a..b', '', '.hidden'])
      expect(() => store.dir(bad), bad).toThrow(/is not a run id/);
  });
});

describe('metric columns', () => {
  const line = (step: number, gamma?: number) => ({
    step,
    lossD: 1,
    lossDReal: 0.5,
    lossDFake: 0.5 + step,
    lossG: -step,
    msPerIt: 250,
    ...(gamma === undefined ? {} : { gammas: [{ nodeId: 'att', network: 'generator', gamma }] }),
  });

  it('turns lines into columns, with gaps where a value was not logged', () => {
    const m = metricColumns([line(1), line(2, 0.1), { step: 3, lossG: 'garbage' }], 100);
    expect(m.step).toEqual([1, 2, 3]);
    expect(m.lossDFake).toEqual([1.5, 2.5, null]);
    expect(m.lossG).toEqual([-1, -2, null]);
    expect(m.itPerSec).toEqual([4, 4, null]);
    expect(m.gammas).toEqual([{ nodeId: 'att', network: 'generator', values: [null, 0.1, null] }]);
  });

  it('thins long runs to at most maxPoints rows and keeps the newest', () => {
    const lines = Array.from({ length: 1001 }, (_, i) => line(i + 1));
    const m = metricColumns(lines, 100);
    expect(m.step.length).toBeLessThanOrEqual(101);
    expect(m.step[0]).toBe(1);
    expect(m.step.at(-1)).toBe(1001);
  });
});

describe('class names of a reopened run', () => {
  const doc = tinyMnistDoc();
  const folder = { kind: 'folder' as const, path: '/data/faces' };
  it('are the ones run.json kept, one per sample-grid row', () => {
    const info = { doc, dataset: { name: 'faces', size: 20, source: folder, classNames: ['cats', 'dogs'] } };
    expect(runClassNames(info)).toEqual(['cats', 'dogs']);
  });

  it('are MNIST’s digits for older runs on MNIST, unknown for older folder runs and none when unconditional', () => {
    expect(runClassNames({ doc, dataset: { name: 'MNIST', size: 10_000 } })).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i)),
    );
    expect(runClassNames({ doc, dataset: { name: 'faces', size: 20, source: folder } })).toBeNull();
    expect(runClassNames({ doc, dataset: { name: 'faces', size: 20, source: folder, classNames: [] } })).toBeNull();
  });
});
