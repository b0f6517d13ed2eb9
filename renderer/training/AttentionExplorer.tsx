import { useEffect, useRef, useState } from 'react';
import type { AttentionAnswer, AttentionMapWire, SampleGrid } from '../../graph-schemas';
import { cellOrigin } from './grid-geometry';
import { attentionRow, heatForQuery, overlayHeat, peakOverUniform } from './heatmap';
import { nodeKey } from './metric-log';
import type { RunView } from './run-state';
import { isLive } from './run-state';
import { gridSrc } from './SampleGrid';
import { QUERY_COLORS } from './training-store';
import { useStudio, useTraining } from '../app/studio';

/** The RGBA pixels of one cell of a sample grid (decoded from its PNG in the page). */
function useCellPixels(grid: SampleGrid | null, sample: number): Uint8ClampedArray | null {
  const [pixels, setPixels] = useState<{ key: string; data: Uint8ClampedArray } | null>(null);
  const key = grid ? `${grid.step}/${grid.pngBase64.length}/${sample}` : '';
  useEffect(() => {
    if (!grid) return;
    let live = true;
    const image = new Image();
    image.src = gridSrc(grid);
    image
      .decode()
      .then(() => {
        const canvas = document.createElement('canvas');
        canvas.width = grid.cellSize;
        canvas.height = grid.cellSize;
        const ctx = canvas.getContext('2d')!;
        const { x, y } = cellOrigin(grid, sample);
        ctx.drawImage(image, x, y, grid.cellSize, grid.cellSize, 0, 0, grid.cellSize, grid.cellSize);
        if (live) setPixels({ key, data: ctx.getImageData(0, 0, grid.cellSize, grid.cellSize).data });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [grid, sample, key]);
  return pixels?.key === key ? pixels.data : null;
}

function HeatCanvas({
  pixels,
  size,
  map,
  sampleInMap,
  query,
  color,
  point,
}: {
  pixels: Uint8ClampedArray;
  size: number;
  map: AttentionMapWire;
  sampleInMap: number;
  query: number;
  color: string;
  point: { x: number; y: number };
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const heat = heatForQuery(map, sampleInMap, query, size);
    ctx.putImageData(new ImageData(overlayHeat(pixels, heat) as Uint8ClampedArray<ArrayBuffer>, size, size), 0, 0);
  }, [pixels, size, map, sampleInMap, query]);
  const peak = peakOverUniform(attentionRow(map, sampleInMap, query));
  return (
    <figure
      className="heat-figure"
      title={`The strongest key gets ${peak.toFixed(1)}× the weight of attending to every key alike`}
    >
      <div className="heat-cell" style={{ borderColor: color }}>
        <canvas
          ref={canvas}
          width={size}
          height={size}
          data-testid={`heat-${map.nodeId}-${query}`}
          data-keys={`${map.keyHeight}x${map.keyWidth}`}
        />
        <span
          className="query-dot"
          style={{ left: `${point.x * 100}%`, top: `${point.y * 100}%`, background: color }}
        />
      </div>
      <figcaption className="mono">peak {peak.toFixed(1)}×</figcaption>
    </figure>
  );
}

interface Shown {
  answer: AttentionAnswer;
  /** Which of the answer's samples to show, and its cell in the grid. */
  sampleInMap: number;
  gridSample: number;
  fromUser: boolean;
}

/**
 * Where each SelfAttention node (G and D) looks from the picked query pixels: one heatmap per point, upsampled
 * from the node's key grid and laid over the sample, as in the paper's Figures 1 and 5.
 */
export function AttentionExplorer({ run }: { run: RunView }) {
  const training = useStudio().training;
  const explorer = useTraining((s) => s.explorer);
  const mine = explorer.runId === run.runId;
  const shown: Shown | null =
    mine && explorer.answer
      ? {
          answer: explorer.answer,
          sampleInMap: 0,
          gridSample: explorer.answer.samples[0] ?? explorer.sample,
          fromUser: true,
        }
      : run.streamedAttention && run.streamedAttention.samples.length
        ? {
            answer: run.streamedAttention,
            sampleInMap: 0,
            gridSample: run.streamedAttention.samples[0]!,
            fromUser: false,
          }
        : null;
  const pixels = useCellPixels(run.latestGrid, shown?.gridSample ?? 0);
  const cell = run.latestGrid?.cellSize ?? 32;

  return (
    <section className="chart-card attention-card" data-testid="attention-explorer">
      <header className="chart-head">
        <h4>Attention</h4>
        {shown && (
          <span className="muted small">
            step {shown.answer.step}
            {shown.fromUser ? '' : ' · the engine’s fixed probe points'}
          </span>
        )}
        {mine && explorer.pending && (
          <span className="muted small" data-testid="attention-pending">
            asking…
          </span>
        )}
        <span className="spacer" />
        {mine && explorer.points.length > 0 && (
          <button className="link-button" onClick={() => training.explorer.clearPoints()}>
            Clear points
          </button>
        )}
      </header>
      {mine && explorer.error && (
        <p className="error-text small" data-testid="attention-error">
          {explorer.error}
        </p>
      )}
      {!shown && !explorer.error && (
        <p className="muted small">
          {run.status === 'error' && run.step === 0
            ? 'This run failed before its first step (see its message), so there is nothing to explore.'
            : run.attentionNodes.length === 0 && run.log.gammas.size === 0
              ? 'This graph has no SelfAttention block, so there is nothing to explore.'
              : isLive(run)
                ? 'Click a pixel of a sample to see, for each attention layer, where that pixel looks.'
                : run.checkpointStep !== null
                  ? `Click a pixel of a sample to see where it looks, with the weights of the checkpoint at step ${run.checkpointStep}.`
                  : 'This run stopped before its first checkpoint, so there are no weights to explore.'}
        </p>
      )}
      {shown && pixels && (
        <div className="attention-rows">
          {shown.answer.maps.map((map) => {
            const gamma = run.gammas[nodeKey(map.network, map.nodeId)]?.gamma;
            return (
              <div
                key={`${map.network}:${map.nodeId}`}
                className="attention-row"
                data-testid={`attention-map-${map.nodeId}`}
              >
                <div className="attention-label">
                  <span className={`net-tag net-${map.network === 'generator' ? 'g' : 'd'}`}>
                    {map.network === 'generator' ? 'G' : 'D'}
                  </span>{' '}
                  <strong>{map.nodeId}</strong>
                  <span className="muted small">
                    keys {map.keyHeight}×{map.keyWidth}
                    {gamma !== undefined && ` · γ ${gamma.toFixed(4)}`}
                  </span>
                </div>
                <div className="heat-strip">
                  {shown.answer.points.map((p, q) => (
                    <HeatCanvas
                      key={q}
                      pixels={pixels}
                      size={cell}
                      map={map}
                      sampleInMap={shown.sampleInMap}
                      query={q}
                      color={QUERY_COLORS[q % QUERY_COLORS.length]!}
                      point={p}
                    />
                  ))}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
