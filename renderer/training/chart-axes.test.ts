import { describe, expect, it } from 'vitest';
import {
  MINUS,
  buildCsv,
  csvFileName,
  formatDuration,
  formatTick,
  hasPositive,
  positiveOnly,
  elapsedSeconds,
  trainingSeconds,
  withMinus,
} from './chart-axes';

describe('tick labels', () => {
  it('uses U+2212 for negative values and exponents', () => {
    expect(formatTick(-0.5)).toBe(`${MINUS}0.5`);
    expect(formatTick(-2)).toBe(`${MINUS}2`);
    expect(formatTick(0.0001)).toBe(`1e${MINUS}4`);
    expect(formatTick(-123456)).toBe(`${MINUS}1.23e5`);
    expect(formatTick(1.25)).toBe('1.25');
    expect(formatTick(0)).toBe('0');
    expect(formatTick(null)).toBe('');
    expect(withMinus('-1 to -2')).toBe(`${MINUS}1 to ${MINUS}2`);
    expect(formatTick(-0.5)).not.toContain('-');
  });

  it('formats training time as seconds, m:ss and h:mm:ss', () => {
    expect(formatDuration(12.5)).toBe('12.5 s');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(-65)).toBe(`${MINUS}1:05`);
  });
});

describe('training time x axis', () => {
  it('adds each step gap divided by the rate logged with it', () => {
    // 10 steps at 2 it/s = 5 s, then 20 steps at 4 it/s = 5 s.
    expect(trainingSeconds([0, 10, 30], [2, 2, 4])).toEqual([0, 5, 10]);
  });

  it('carries the last rate over rows without one and never decreases', () => {
    const t = trainingSeconds([1, 2, 3, 5], [null, 1, null, 0]);
    expect(t).toEqual([0, 1, 2, 4]);
    for (let i = 1; i < t.length; i++) expect(t[i]!).toBeGreaterThanOrEqual(t[i - 1]!);
  });
});

describe('wall-clock x axis', () => {
  it('uses the logged timestamps, so a pause and the gap before a resume count', () => {
    const t0 = Date.UTC(2026, 0, 1);
    // 10 steps in 5 s, a 60 s pause, 10 more steps in 5 s; the rates alone would say 10 s.
    expect(elapsedSeconds([0, 10, 20], [2, 2, 2], [t0, t0 + 5000, t0 + 70_000])).toEqual([0, 5, 70]);
  });

  it('falls back to training time for rows without a timestamp (runs logged before they were kept)', () => {
    expect(elapsedSeconds([0, 10, 30], [2, 2, 4])).toEqual([0, 5, 10]);
    expect(elapsedSeconds([0, 10, 30], [2, 2, 4], [null, null, null])).toEqual([0, 5, 10]);
    // An old run resumed with timestamps: estimated up to step 10, real from there on.
    expect(elapsedSeconds([0, 10, 20, 30], [2, 2, 2, 2], [null, null, 1000, 4000])).toEqual([0, 5, 10, 13]);
  });

  it('never decreases when the clock stepped back', () => {
    expect(elapsedSeconds([1, 2, 3], [1, 1, 1], [10_000, 8000, 9000])).toEqual([0, 0, 1]);
  });
});

describe('log scale', () => {
  it('turns zero, negative and missing values into gaps', () => {
    expect(positiveOnly([1, 0, -2, null, Number.NaN, 0.5])).toEqual([1, null, null, null, null, 0.5]);
    expect(hasPositive([0, -1, null])).toBe(false);
    expect(hasPositive([0, 3])).toBe(true);
  });
});

describe('CSV export', () => {
  it('writes a header row, one row per x, empty cells for gaps and quotes names that need it', () => {
    const csv = buildCsv([
      { name: 'step', values: [1, 2, 3] },
      { name: 'D on "real", raw', values: [0.5, null, -1.25] },
      { name: 'G', values: [1e-7, 2, 3] },
    ]);
    expect(csv.split('\n')).toEqual(['step,"D on ""real"", raw",G', '1,0.5,1e-7', '2,,2', '3,-1.25,3', '']);
  });

  it('names the file after the chart', () => {
    expect(csvFileName('Losses')).toBe('losses.csv');
    expect(csvFileName('Attention γ')).toBe('attention-γ.csv');
    expect(csvFileName('  ')).toBe('chart.csv');
  });
});
