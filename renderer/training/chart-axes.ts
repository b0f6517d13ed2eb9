/**
 * The pure parts of the training charts: tick labels with a true minus sign, training time as an x axis,
 * log-scale values, and CSV export of exactly the columns a chart draws.
 */

import type { Values } from './decimate';

/** U+2212, the typographic minus: the same width as "+" and readable at 11 px, unlike a hyphen. */
export const MINUS = '\u2212';

/** Replaces the hyphen-minus of a formatted number (also in an exponent, "1e-4") with U+2212. */
export const withMinus = (text: string): string => text.replace(/-/g, MINUS);

/** A tick label: up to 4 significant digits, exponent form for very large or small values, U+2212 for negatives. */
export function formatTick(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text =
    abs >= 1e5 || abs < 1e-3
      ? v
          .toExponential(2)
          .replace(/\.?0+e/, 'e')
          .replace('e+', 'e')
      : String(Number(v.toPrecision(4)));
  return withMinus(text);
}

/** "45 s", "12:05", "1:02:03" for a training time in seconds (axis ticks and CSV readers alike). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? MINUS : '';
  const s = Math.abs(seconds);
  if (s < 60) return `${sign}${Number(s.toPrecision(3))} s`;
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const sec = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${sec}` : `${sign}${m}:${sec}`;
}

/**
 * Training time at each logged step, in seconds from the first step, from the iterations per second logged with
 * it: the steps since the previous row took (step gap) / (it/s). Pauses are not counted (time spent training,
 * like the run's own timings). A row without a usable rate takes the previous row's; the result never decreases.
 */
export function trainingSeconds(steps: ArrayLike<number>, itPerSec: Values): number[] {
  const out: number[] = [];
  let t = 0;
  let rate = 0;
  for (let i = 0; i < steps.length; i++) {
    const r = itPerSec[i];
    if (r !== null && r !== undefined && Number.isFinite(r) && r > 0) rate = r;
    if (i > 0) {
      const gap = steps[i]! - steps[i - 1]!;
      if (gap > 0 && rate > 0) t += gap / rate;
    }
    out.push(t);
  }
  return out;
}

/**
 * Seconds since the first logged step at each row, for the charts' time axis: real wall-clock time where two
 * neighbouring rows both carry a timestamp (pauses, and the gap before a resume, count as they happened), and
 * the training-time estimate of trainingSeconds between rows without one (runs logged before timestamps were
 * kept). Never decreases, even if the system clock stepped back.
 */
export function elapsedSeconds(steps: ArrayLike<number>, itPerSec: Values, wallMs?: Values): number[] {
  const estimate = trainingSeconds(steps, itPerSec);
  if (!wallMs) return estimate;
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < steps.length; i++) {
    if (i > 0) {
      const a = wallMs[i - 1];
      const b = wallMs[i];
      const known =
        a !== null && a !== undefined && b !== null && b !== undefined && Number.isFinite(a) && Number.isFinite(b);
      t += known ? Math.max(0, (b - a) / 1000) : estimate[i]! - estimate[i - 1]!;
    }
    out.push(t);
  }
  return out;
}

/** A column for a log-scale axis: zero, negative and non-finite values have no logarithm and become gaps (null). */
export function positiveOnly(values: Values): (number | null)[] {
  const out: (number | null)[] = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
  }
  return out;
}

/** True when a column has no value a log scale can show (the log toggle then says so instead of an empty plot). */
export const hasPositive = (values: Values): boolean => positiveOnly(values).some((v) => v !== null);

const csvCell = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export interface CsvColumn {
  name: string;
  values: ArrayLike<number | null>;
}

/**
 * CSV of a chart's full-resolution data (not the decimated drawing): a header row of column names, then one row
 * per x; a missing value is an empty cell; numbers keep full precision with an ASCII "-" so spreadsheets read them.
 */
export function buildCsv(columns: readonly CsvColumn[]): string {
  const rows = Math.max(0, ...columns.map((c) => c.values.length));
  const lines = [columns.map((c) => csvCell(c.name)).join(',')];
  for (let i = 0; i < rows; i++) {
    lines.push(
      columns
        .map((c) => {
          const v = c.values[i];
          return v === null || v === undefined || !Number.isFinite(v) ? '' : String(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A file name from a chart's title: "Losses" -> "losses.csv", "Attention γ" -> "attention-γ.csv". */
export const csvFileName = (title: string): string =>
  `${
    title
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'chart'
  }.csv`;
