import type { QualityPoint, RunSummary } from '../../graph-schemas';
import type { ChartSeries } from './SeriesChart';
import { SeriesChart } from './SeriesChart';

const FD_COLOR = '#f0b429';
const ACCURACY_COLOR = '#3fbf7f';

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(1)}%`);

/** The lowest FD/FID of a run's measurements (lower is better). */
export function bestPoint(points: QualityPoint[]): QualityPoint | null {
  return points.reduce<QualityPoint | null>((best, p) => (best === null || p.fd < best.fd ? p : best), null);
}

/**
 * Sample quality over training, beside the losses: FD (or FID) of each measurement, and the class accuracy when a
 * classifier gives one, with the latest and best values. Shown once a run has been measured.
 */
export function QualityChart({ points, height = 120 }: { points: QualityPoint[]; height?: number }) {
  if (points.length === 0) return null;
  const latest = points[points.length - 1]!;
  const best = bestPoint(points)!;
  const hasAccuracy = points.some((p) => p.accuracy !== null);
  const series: ChartSeries[] = [
    { label: latest.names.fd, color: FD_COLOR, width: 1.8 },
    ...(hasAccuracy ? [{ label: 'Class accuracy (%)', color: ACCURACY_COLOR, width: 1.4, dash: [4, 3] }] : []),
  ];
  const source = () => ({
    x: points.map((p) => p.step),
    time: points.map((p) => p.trainSeconds),
    ys: [
      points.map((p) => p.fd),
      ...(hasAccuracy ? [points.map((p) => (p.accuracy === null ? null : 100 * p.accuracy))] : []),
    ],
  });
  return (
    <section className="chart-card" data-testid="quality-chart-card">
      <header className="chart-head">
        <h4>Quality</h4>
        <span className="legend-item" title={`${latest.samples} samples${latest.ema ? ', EMA weights' : ''}`}>
          <i style={{ background: FD_COLOR }} /> {latest.names.fd}{' '}
          <strong data-testid="quality-latest-fd">{latest.fd.toFixed(2)}</strong>
          <span className="muted small">
            {' '}
            (best {best.fd.toFixed(2)} at step {best.step.toLocaleString()})
          </span>
        </span>
        <span className="legend-item">
          {latest.names.kid} <strong>{latest.kid.toFixed(4)}</strong>
        </span>
        {hasAccuracy && (
          <span className="legend-item">
            <i style={{ background: ACCURACY_COLOR }} /> class accuracy{' '}
            <strong data-testid="quality-latest-accuracy">{pct(latest.accuracy)}</strong>
          </span>
        )}
        <span className="muted small" title="Time of the newest measurement">
          step {latest.step.toLocaleString()}, {latest.seconds.toFixed(1)} s
        </span>
      </header>
      <SeriesChart
        series={series}
        source={source}
        version={`${points.length}/${latest.step}`}
        height={height}
        title="Quality"
        testId="quality-chart"
        yFromZero
      />
    </section>
  );
}

/** "FD (digit classifier) 41.20 · best 38.70" for the run list and Compare; "–" for a run never measured. */
export function QualitySummaryText({ quality }: { quality: RunSummary['quality'] }) {
  if (!quality) return <span className="muted">–</span>;
  const { latest, best } = quality;
  return (
    <span
      className="mono"
      data-testid="run-quality"
      title={`${latest.names.fd} at step ${latest.step} (${latest.samples} samples); best at step ${best.step}; ${latest.names.kid} ${latest.kid.toFixed(4)}; class accuracy ${pct(latest.accuracy)}`}
    >
      {latest.fd.toFixed(2)} · best {best.fd.toFixed(2)}
      {latest.accuracy !== null && <span className="muted"> · {pct(latest.accuracy)}</span>}
    </span>
  );
}
