import { scoreHistogram } from './histogram';
import type { RunView, SigmaTrack } from './run-state';
import { SCORE_WINDOW } from './run-state';

function Sparkline({ values, width = 80, height = 18 }: { values: number[]; width?: number; height?: number }) {
  if (values.length < 2) return <svg width={width} height={height} />;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  const step = Math.max(1, Math.floor(values.length / width));
  const pts: string[] = [];
  for (let i = 0; i < values.length; i += step)
    pts.push(
      `${((i / (values.length - 1)) * width).toFixed(1)},${(height - 1 - ((values[i]! - lo) / span) * (height - 2)).toFixed(1)}`,
    );
  return (
    <svg width={width} height={height} className="sparkline">
      <polyline points={pts.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.2" />
    </svg>
  );
}

/** Per layer, the spectral-norm σ estimate (power iteration) over time; near 1 is what spectral norm aims for. */
export function SigmaList({ run }: { run: RunView }) {
  const tracks = Object.entries(run.sigmas) as [string, SigmaTrack][];
  return (
    <section className="chart-card" data-testid="sigma-list">
      <header className="chart-head">
        <h4>Spectral norm σ</h4>
        <span className="muted small">estimate per layer, every 10 steps</span>
      </header>
      {tracks.length === 0 ? (
        <p className="muted small">
          {run.status === 'running' || run.status === 'starting'
            ? 'Arrives with the first steps.'
            : 'Not logged for this run (it streams while training).'}
        </p>
      ) : (
        <table className="sigma-table">
          <tbody>
            {tracks.map(([key, t]) => (
              <tr key={key}>
                <td title={`${t.nodeId} ${t.name}`}>
                  <span className={`net-tag net-${t.network === 'generator' ? 'g' : 'd'}`}>
                    {t.network === 'generator' ? 'G' : 'D'}
                  </span>{' '}
                  {t.name.startsWith(t.nodeId) ? t.name : `${t.nodeId} ${t.name}`}
                </td>
                <td className="mono sigma-value">{t.values[t.values.length - 1]!.toFixed(3)}</td>
                <td className="sparkcell">
                  <Sparkline values={t.values} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** D's scores on real and on generated images of the last few batches, as two overlaid histograms. */
export function ScoreHistogramView({
  run,
  width = 260,
  height = 90,
}: {
  run: RunView;
  width?: number;
  height?: number;
}) {
  const scores = run.scores;
  const h = scores ? scoreHistogram(scores.real, scores.fake, 24) : null;
  const max = h ? Math.max(1, ...h.real, ...h.fake) : 1;
  const bins = h?.real.length ?? 0;
  const bw = bins ? width / bins : 0;
  return (
    <section className="chart-card" data-testid="score-histogram">
      <header className="chart-head">
        <h4>D’s scores</h4>
        <span className="legend-item">
          <i style={{ background: '#5aa9ff' }} /> real
        </span>
        <span className="legend-item">
          <i style={{ background: '#ff8a5c' }} /> generated
        </span>
        {scores && (
          <span className="muted small">
            last {SCORE_WINDOW} steps, at step {scores.step}
          </span>
        )}
      </header>
      {!h || !bins ? (
        <p className="muted small">Streams while training.</p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${width} ${height}`}
            preserveAspectRatio="none"
            className="histogram"
            style={{ aspectRatio: `${width} / ${height}` }}
          >
            {h.real.map((c, i) => (
              <rect
                key={`r${i}`}
                x={i * bw + 0.5}
                y={height - (c / max) * height}
                width={Math.max(1, bw - 1)}
                height={(c / max) * height}
                fill="rgba(90,169,255,0.6)"
              />
            ))}
            {h.fake.map((c, i) => (
              <rect
                key={`f${i}`}
                x={i * bw + 0.5}
                y={height - (c / max) * height}
                width={Math.max(1, bw - 1)}
                height={(c / max) * height}
                fill="rgba(255,138,92,0.55)"
              />
            ))}
          </svg>
          <div className="hist-axis mono small">
            <span>{h.edges[0]!.toFixed(2)}</span>
            <span>{h.edges[h.edges.length - 1]!.toFixed(2)}</span>
          </div>
        </>
      )}
    </section>
  );
}
