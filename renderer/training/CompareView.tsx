import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunDetail, RunMetrics } from '../../graph-schemas';
import { alignRuns, lossColumns, stepAtOrBefore } from './compare-data';
import { EmaSmoother } from './decimate';
import { QualitySummaryText } from './QualityChart';
import { gridSrc, useGridAt } from './SampleGrid';
import type { ChartSeries } from './SeriesChart';
import { SeriesChart } from './SeriesChart';
import { SweepTables } from './SweepTable';
import { useStudio, useTraining } from '../app/studio';

interface Loaded {
  runId: string;
  detail: RunDetail;
  metrics: RunMetrics;
}

function useRunData(runId: string | null, refresh: number): { data: Loaded | null; error: string | null } {
  const { api } = useStudio();
  const key = `${runId}/${refresh}`;
  const [state, setState] = useState<{ key: string; data: Loaded | null; error: string | null }>({
    key: '',
    data: null,
    error: null,
  });
  useEffect(() => {
    if (!runId) return;
    let live = true;
    Promise.all([api.runs.get({ runId }), api.runs.metrics({ runId, maxPoints: 5000 })]).then(
      ([detail, metrics]) => live && setState({ key, data: { runId, detail, metrics }, error: null }),
      (e: Error) => live && setState({ key, data: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [api, runId, key]);
  // Until the new run has loaded, the old one stays (a refresh does not blank the charts); none when no run is picked.
  if (!runId) return { data: null, error: null };
  return state.data?.runId === runId || state.key === key ? state : { data: null, error: null };
}

const seedOf = (d: RunDetail) => (d.doc as { training?: { seed?: number } } | null)?.training?.seed;

/** Two runs side by side: their curves overlaid and their sample grids from the same noise (the ablation view). */
export function CompareView() {
  const training = useStudio().training;
  const list = useTraining((s) => s.list);
  const compare = useTraining((s) => s.compare);
  const [refresh, setRefresh] = useState(0);
  const a = useRunData(compare.a, refresh);
  const b = useRunData(compare.b, refresh);
  const set = (which: 'a' | 'b', id: string) =>
    training.store.setState((s) => ({ compare: { ...s.compare, [which]: id || null } }));
  const ready = a.data && b.data && a.data.runId === compare.a && b.data.runId === compare.b;

  return (
    <div className="compare-view" data-testid="compare-view">
      <SweepTables />
      <div className="compare-pickers">
        <RunPicker label="A" value={compare.a} onChange={(id) => set('a', id)} list={list} testId="compare-a" />
        <span className="muted">vs</span>
        <RunPicker label="B" value={compare.b} onChange={(id) => set('b', id)} list={list} testId="compare-b" />
        <button className="button" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
        {ready && seedOf(a.data!.detail) !== seedOf(b.data!.detail) && (
          <span className="warning-text small">
            The runs have different seeds, so their samples come from different noise.
          </span>
        )}
      </div>
      {(a.error || b.error) && <p className="error-text small">{a.error ?? b.error}</p>}
      {!compare.a || !compare.b ? (
        <p className="muted">Pick two runs to overlay their curves and put their samples side by side.</p>
      ) : ready ? (
        <Comparison a={a.data!} b={b.data!} />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </div>
  );
}

function RunPicker({
  label,
  value,
  onChange,
  list,
  testId,
}: {
  label: string;
  value: string | null;
  onChange(id: string): void;
  list: { id: string; name: string; step: number; status: string }[];
  testId: string;
}) {
  return (
    <label className="inline-field">
      <strong>{label}</strong>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">Choose a run…</option>
        {list.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} · {r.id.slice(-20)} · {r.step} steps · {r.status}
          </option>
        ))}
      </select>
    </label>
  );
}

function Comparison({ a, b }: { a: Loaded; b: Loaded }) {
  const aligned = useMemo(() => alignRuns(lossColumns(a.metrics), lossColumns(b.metrics)), [a, b]);
  const smoothers = useRef([0, 1, 2, 3].map(() => new EmaSmoother()));
  const series: ChartSeries[] = [
    { label: 'A: D', color: '#5aa9ff' },
    { label: 'A: G', color: '#3fbf7f' },
    { label: 'B: D', color: '#5aa9ff', dash: [6, 4] },
    { label: 'B: G', color: '#3fbf7f', dash: [6, 4] },
  ];
  const cols = [...aligned.a, ...aligned.b];
  const source = () => ({ x: aligned.x, ys: cols.map((c, i) => smoothers.current[i]!.smooth(c, 0.8, 0)) });
  const steps = useMemo(
    () => [...new Set([...a.detail.sampleSteps, ...b.detail.sampleSteps])].sort((p, q) => p - q),
    [a, b],
  );
  const [index, setIndex] = useState<number | null>(null);
  const at = steps.length ? steps[index ?? steps.length - 1]! : null;
  return (
    <div className="comparison">
      <section className="chart-card">
        <header className="chart-head">
          <h4>Losses</h4>
          <span className="legend-item">
            <i style={{ background: '#5aa9ff' }} /> D (real + fake)
          </span>
          <span className="legend-item">
            <i style={{ background: '#3fbf7f' }} /> G
          </span>
          <span className="muted small">A solid, B dashed · smoothed 0.8</span>
        </header>
        <SeriesChart
          series={series}
          source={source}
          version={`${a.runId}/${b.runId}/${aligned.x.length}`}
          height={200}
          title="Compare losses"
          testId="compare-chart"
        />
      </section>
      <section className="chart-card" data-testid="compare-quality">
        <header className="chart-head">
          <h4>Quality (latest · best)</h4>
          <span className="legend-item">
            <strong>A</strong> <QualitySummaryText quality={a.detail.summary.quality ?? null} />
          </span>
          <span className="legend-item">
            <strong>B</strong> <QualitySummaryText quality={b.detail.summary.quality ?? null} />
          </span>
        </header>
      </section>
      <section className="chart-card">
        <header className="chart-head">
          <h4>Samples from the same noise</h4>
          {at !== null && <span className="muted small">step {at}</span>}
        </header>
        <div className="compare-grids">
          <CompareGrid label="A" run={a} step={at} />
          <CompareGrid label="B" run={b} step={at} />
        </div>
        {steps.length > 1 && (
          <input
            type="range"
            min={0}
            max={steps.length - 1}
            value={index ?? steps.length - 1}
            onChange={(e) => setIndex(Number(e.target.value))}
            aria-label="Compare at step"
            data-testid="compare-scrubber"
          />
        )}
      </section>
    </div>
  );
}

function CompareGrid({ label, run, step }: { label: string; run: Loaded; step: number | null }) {
  const chosen = step === null ? null : stepAtOrBefore(run.detail.sampleSteps, step);
  const { grid, error } = useGridAt(run.runId, chosen, null);
  return (
    <figure className="compare-grid" data-testid={`compare-grid-${label.toLowerCase()}`}>
      <figcaption>
        <strong>{label}</strong> {run.detail.summary.name}{' '}
        <span className="muted small">{chosen === null ? 'no grids' : `step ${chosen}`}</span>
      </figcaption>
      {grid ? (
        <img
          className="sample-image"
          src={gridSrc(grid)}
          width={grid.width}
          height={grid.height}
          alt={`${label} at step ${grid.step}`}
        />
      ) : (
        <p className="muted small">{error ?? (chosen === null ? 'This run has no sample grids.' : 'Loading…')}</p>
      )}
    </figure>
  );
}
