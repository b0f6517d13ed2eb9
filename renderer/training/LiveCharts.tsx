import { useMemo, useRef, useState } from 'react';
import { elapsedSeconds } from './chart-axes';
import { EmaSmoother } from './decimate';
import { attentionUnused, formatLoss } from './format';
import type { MetricLog } from './metric-log';
import type { RunView } from './run-state';
import type { ChartSeries } from './SeriesChart';
import { SeriesChart } from './SeriesChart';

const LOSSES = [
  { key: 'lossDReal', label: 'D on real', color: '#5aa9ff' },
  { key: 'lossDFake', label: 'D on fake', color: '#ff8a5c' },
  { key: 'lossG', label: 'G', color: '#3fbf7f' },
] as const;

const faint = (hex: string) => `${hex}55`;

/** Loss curves: raw (faint) and smoothed, D on real, D on fake and G; smoothing is a slider. */
export function LossChart({ log, version, height = 170 }: { log: MetricLog; version: number; height?: number }) {
  const [weight, setWeight] = useState(0.9);
  const smoothers = useRef(LOSSES.map(() => new EmaSmoother()));
  const series: ChartSeries[] = useMemo(
    () => [
      ...LOSSES.map((l) => ({ label: `${l.label} (raw)`, color: faint(l.color), width: 1 })),
      ...LOSSES.map((l) => ({ label: l.label, color: l.color, width: 1.8 })),
    ],
    [],
  );
  const source = () => {
    const raw = LOSSES.map((l) => log[l.key]);
    return {
      x: log.step,
      time: elapsedSeconds(log.step, log.itPerSec, log.wallMs),
      timeKind: 'wall' as const,
      ys: [...raw, ...raw.map((col, i) => smoothers.current[i]!.smooth(col, weight, log.generation))],
    };
  };
  const last = (col: (number | null)[]) => {
    for (let i = col.length - 1; i >= 0; i--) if (col[i] !== null) return col[i];
    return null;
  };
  return (
    <section className="chart-card" data-testid="loss-chart-card">
      <header className="chart-head">
        <h4>Losses</h4>
        {LOSSES.map((l) => (
          <span key={l.key} className="legend-item">
            <i style={{ background: l.color }} /> {l.label}{' '}
            <strong data-testid={`last-${l.key}`}>{formatLoss(last(log[l.key]))}</strong>
          </span>
        ))}
        <span className="spacer" />
        <label className="smoothing" title="Exponential moving average of the losses (0 = raw)">
          Smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={weight}
            onChange={(e) => setWeight(Number(e.target.value))}
            data-testid="smoothing"
          />
          <span className="mono">{weight.toFixed(2)}</span>
        </label>
      </header>
      <SeriesChart
        series={series}
        source={source}
        version={`${version}/${weight}`}
        height={height}
        title="Losses"
        testId="loss-chart"
      />
    </section>
  );
}

const GAMMA_COLORS = ['#e85aad', '#b36bff', '#35b8e0', '#e0a526', '#2fb3a6', '#f0555a'];

/** γ of every attention node over time, with a hint for attention that stays unused. */
export function GammaChart({ run, version, height = 110 }: { run: RunView; version: number; height?: number }) {
  const columns = [...run.log.gammas.entries()];
  const series: ChartSeries[] = columns.map(([key], i) => ({
    label: `γ ${key}`,
    color: GAMMA_COLORS[i % GAMMA_COLORS.length]!,
  }));
  if (!columns.length) return null;
  const source = () => ({
    x: run.log.step,
    time: elapsedSeconds(run.log.step, run.log.itPerSec, run.log.wallMs),
    timeKind: 'wall' as const,
    ys: columns.map(([, c]) => c.values),
  });
  return (
    <section className="chart-card" data-testid="gamma-chart-card">
      <header className="chart-head">
        <h4>Attention γ</h4>
        {columns.map(([key, c], i) => {
          const current = run.gammas[key]?.gamma;
          const unused = attentionUnused(run.gammaPeak[key], run.step);
          return (
            <span key={key} className="legend-item" data-testid={`gamma-${c.nodeId}`}>
              <i style={{ background: GAMMA_COLORS[i % GAMMA_COLORS.length] }} /> {key}{' '}
              <strong>{current === undefined ? '–' : current.toFixed(4)}</strong>
              {unused && <em className="hint">attention unused so far</em>}
            </span>
          );
        })}
      </header>
      <SeriesChart
        series={series}
        source={source}
        version={version}
        height={height}
        title="Attention gamma"
        testId="gamma-chart"
      />
    </section>
  );
}
