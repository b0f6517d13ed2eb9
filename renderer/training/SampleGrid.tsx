import { useEffect, useState } from 'react';
import type { SampleGrid } from '../../graph-schemas';
import { cellAt, cellOrigin } from './grid-geometry';
import type { RunView } from './run-state';
import { QUERY_COLORS } from './training-store';
import { useStudio, useTraining } from '../app/studio';

export const gridSrc = (grid: SampleGrid) => `data:image/png;base64,${grid.pngBase64}`;

/** The grid of one step, loaded from the host (cached) unless it is the newest one, which streamed in. */
export function useGridAt(
  runId: string | null,
  step: number | null,
  latest: SampleGrid | null,
): { grid: SampleGrid | null; error: string | null } {
  const training = useStudio().training;
  const [loaded, setLoaded] = useState<{ key: string; grid: SampleGrid | null; error: string | null }>({
    key: '',
    grid: null,
    error: null,
  });
  const key = `${runId}@${step}`;
  const wantsStored = runId !== null && step !== null && latest?.step !== step;
  useEffect(() => {
    if (!wantsStored) return;
    let live = true;
    training.library.sample(runId, step).then(
      (grid) => live && setLoaded({ key, grid, error: null }),
      (e: Error) => live && setLoaded({ key, grid: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [training, key, runId, step, wantsStored]);
  if (!wantsStored) return { grid: latest, error: null };
  return loaded.key === key ? { grid: loaded.grid, error: loaded.error } : { grid: null, error: null };
}

/**
 * The sample grid from fixed noise (one row per class), following the newest grid or pinned to an earlier
 * step with the scrubber. Clicking a pixel picks a query point for the attention explorer.
 */
export function SampleGridView({
  run,
  pinned,
  setPinned,
}: {
  run: RunView;
  /** The step the scrubber holds (null: follow the newest grid); the attention explorer shows the same one. */
  pinned: number | null;
  setPinned: (step: number | null) => void;
}) {
  const training = useStudio().training;
  const explorer = useTraining((s) => s.explorer);
  const steps = run.sampleSteps;
  const latestStep = run.latestGrid?.step ?? steps[steps.length - 1] ?? null;
  const step = pinned ?? latestStep;
  const { grid, error } = useGridAt(run.runId, step, run.latestGrid);
  // Keep the previous image up while the next one loads, so scrubbing does not flicker.
  const [shown, setShown] = useState<SampleGrid | null>(grid);
  if (grid && grid !== shown) setShown(grid);
  const index = step === null ? -1 : steps.indexOf(step);

  const onClick = (e: React.MouseEvent<HTMLImageElement>) => {
    if (!shown) return;
    const box = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - box.left) / box.width) * shown.width;
    const py = ((e.clientY - box.top) / box.height) * shown.height;
    const hit = cellAt(shown, px, py);
    if (hit) training.explorer.pickPoint(hit.sample, { x: hit.x, y: hit.y }, !e.altKey, pinned);
  };

  return (
    <section className="chart-card sample-card" data-testid="sample-grid-card">
      <header className="chart-head">
        <h4>Samples</h4>
        <span className="muted small" data-testid="sample-step">
          {shown ? `step ${shown.step}` : 'no grid yet'}
        </span>
        <span className="spacer" />
        {pinned !== null && (
          <button className="link-button" onClick={() => setPinned(null)} data-testid="sample-live">
            Follow newest
          </button>
        )}
      </header>
      {shown ? (
        <div className="sample-frame">
          {run.classNames && <RowNames grid={shown} names={run.classNames} />}
          <div className="sample-image-wrap">
            <img
              className="sample-image"
              src={gridSrc(shown)}
              width={shown.width}
              height={shown.height}
              alt={`Samples at step ${shown.step}`}
              onClick={onClick}
              draggable={false}
              data-testid="sample-grid"
              data-step={shown.step}
            />
            {explorer.runId === run.runId && explorer.points.length > 0 && (
              <PointMarkers grid={shown} sample={explorer.sample} points={explorer.points} />
            )}
          </div>
        </div>
      ) : (
        <p className="muted small">
          {error ??
            (run.status === 'starting' || run.status === 'running'
              ? 'The first grid comes after the first sampling interval.'
              : 'This run has no sample grids.')}
        </p>
      )}
      {steps.length > 1 && (
        <div className="scrubber">
          <input
            type="range"
            min={0}
            max={steps.length - 1}
            value={index < 0 ? steps.length - 1 : index}
            onChange={(e) => {
              const i = Number(e.target.value);
              setPinned(i === steps.length - 1 ? null : steps[i]!);
            }}
            aria-label="Sample grid step"
            data-testid="sample-scrubber"
          />
          <span className="mono small">
            {index + 1}/{steps.length}
          </span>
        </div>
      )}
      <p className="muted small hint-text">
        Click a digit to see where each attention layer looks from that pixel; click again to add points (up to 8),
        Alt+click to start over.
      </p>
    </section>
  );
}

function PointMarkers({
  grid,
  sample,
  points,
}: {
  grid: SampleGrid;
  sample: number;
  points: { x: number; y: number }[];
}) {
  const origin = cellOrigin(grid, sample);
  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <>
      <div
        className="cell-outline"
        style={{
          left: pct(origin.x, grid.width),
          top: pct(origin.y, grid.height),
          width: pct(grid.cellSize, grid.width),
          height: pct(grid.cellSize, grid.height),
        }}
      />
      {points.map((p, i) => (
        <span
          key={i}
          className="query-dot"
          style={{
            left: pct(origin.x + p.x * grid.cellSize, grid.width),
            top: pct(origin.y + p.y * grid.cellSize, grid.height),
            background: QUERY_COLORS[i % QUERY_COLORS.length],
          }}
        />
      ))}
    </>
  );
}

/** The class of each grid row (one row per class), beside the row, at the image's scale. */
function RowNames({ grid, names }: { grid: SampleGrid; names: string[] }) {
  return (
    <div
      className="sample-rows"
      data-testid="sample-row-names"
      style={{ width: `${Math.min(10, Math.max(1, ...names.map((n) => n.length))) + 1}ch` }}
    >
      {Array.from({ length: Math.min(grid.rows, names.length) }, (_, row) => (
        <span
          key={row}
          className="sample-row-name"
          title={names[row]}
          style={{
            top: `${(100 * cellOrigin(grid, row * grid.cols).y) / grid.height}%`,
            height: `${(100 * grid.cellSize) / grid.height}%`,
          }}
        >
          {names[row]}
        </span>
      ))}
    </div>
  );
}
