import '../styles/attention.css';
import { useState } from 'react';
import type { AttentionAnswer } from '../../graph-schemas';
import { nodeAttentionDistance } from './attention-distance';
import { mapsSource, mapsStepNote } from './attention-steps';
import { AttentionLegend } from './AttentionLegend';
import { AttentionNodeRow, SampleCanvas } from './AttentionNodeRow';
import { useCellPixels } from './cell-pixels';
import { heatScaleMax } from './heatmap';
import { nodeKey } from './metric-log';
import type { RunView } from './run-state';
import { isLive } from './run-state';
import { useGridAt } from './SampleGrid';
import { QUERY_COLORS } from './training-store';
import { useStudio, useTraining } from '../app/studio';

interface Shown {
  answer: AttentionAnswer;
  /** Which of the answer's samples to show, and its cell in the grid. */
  sampleInMap: number;
  gridSample: number;
  fromUser: boolean;
}

function emptyText(run: RunView): string {
  if (run.status === 'error' && run.step === 0)
    return 'This run failed before its first step (see its message), so there is nothing to explore.';
  if (run.attentionNodes.length === 0 && run.log.gammas.size === 0)
    return 'This graph has no SelfAttention block, so there is nothing to explore.';
  if (isLive(run))
    return 'Click a pixel of a sample to see, for each attention layer, where that pixel looks (a grid scrubbed back: with the weights of its step’s checkpoint).';
  return run.checkpointStep !== null
    ? `Click a pixel of a sample to see where it looks, with the weights of the checkpoint at step ${run.checkpointStep} (a grid scrubbed back: of the checkpoint nearest its step).`
    : 'This run stopped before its first checkpoint, so there are no weights to explore.';
}

/**
 * Where each SelfAttention node (G and D) looks from the picked query pixels: the chosen sample at a readable size,
 * and beside it one overlay per point and node (the node's softmax row upsampled from its key grid, coloured by weight
 * over uniform), as in the paper's Figures 1 and 5. The sample is the one the grid shows (the scrubber's step); its
 * maps come from that step's checkpoint, or the nearest one kept, and say which step they are from.
 */
export function AttentionExplorer({
  run,
  pinnedStep,
  onShowStep,
}: {
  run: RunView;
  /** The step the sample grid is scrubbed to (null: the newest). */
  pinnedStep: number | null;
  onShowStep: (step: number | null) => void;
}) {
  const training = useStudio().training;
  const explorer = useTraining((s) => s.explorer);
  const [opacity, setOpacity] = useState(0.75);
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
  const latestStep = run.latestGrid?.step ?? run.sampleSteps[run.sampleSteps.length - 1] ?? null;
  const { grid } = useGridAt(run.runId, pinnedStep ?? latestStep, run.latestGrid);
  const pixels = useCellPixels(grid, shown?.gridSample ?? 0);
  const cell = grid?.cellSize ?? 32;
  const mapsStep = shown?.answer.step ?? null;
  const sampleStep = grid?.step ?? null;
  const note =
    shown && mapsStep !== null && sampleStep !== null
      ? mapsStepNote({
          mapsStep,
          from: shown.answer.from,
          sampleStep,
          askedFor: shown.fromUser ? explorer.answerFor : null,
          fromUser: shown.fromUser,
          pending: mine && explorer.pending,
        })
      : null;
  const points = shown?.answer.points ?? [];
  const maps = shown?.answer.maps ?? [];
  const scaleMax = shown ? heatScaleMax(maps, shown.sampleInMap) : 2;

  return (
    <section className="chart-card attention-card" data-testid="attention-explorer">
      <header className="chart-head">
        <h4>Attention</h4>
        {shown && (
          <span
            className="muted small"
            data-testid="attention-steps"
            data-maps-step={mapsStep ?? ''}
            data-maps-from={shown.answer.from ?? ''}
            data-sample-step={sampleStep ?? ''}
          >
            sample {shown.gridSample + 1}
            {sampleStep !== null && ` at step ${sampleStep}`} · {mapsSource(shown.answer.step, shown.answer.from)}
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
      {!shown && !explorer.error && <p className="muted small">{emptyText(run)}</p>}
      {note && (
        <p className="att-mismatch small" data-testid="attention-step-mismatch">
          ⚠ {note}{' '}
          {mapsStep !== null && run.sampleSteps.includes(mapsStep) && (
            <button
              className="link-button"
              onClick={() => onShowStep(mapsStep === latestStep ? null : mapsStep)}
              data-testid="attention-match-step"
            >
              Show the step-{mapsStep} sample
            </button>
          )}
        </p>
      )}
      {shown && pixels && (
        <>
          <div className="att-focus">
            <figure className="att-figure">
              <SampleCanvas pixels={pixels} size={cell} points={points} />
              <figcaption className="muted small">
                sample {shown.gridSample + 1}, {cell}×{cell} px
              </figcaption>
            </figure>
            <div className="att-focus-side">
              <ol className="att-points mono small" data-testid="attention-points">
                {points.map((p, i) => (
                  <li key={i}>
                    <span className="att-swatch" style={{ background: QUERY_COLORS[i % QUERY_COLORS.length] }} />
                    pixel ({Math.floor(p.x * cell)}, {Math.floor(p.y * cell)})
                  </li>
                ))}
              </ol>
              <AttentionLegend
                scaleMax={scaleMax}
                keys={maps.map((m) => m.keyHeight * m.keyWidth)}
                opacity={opacity}
                onOpacity={setOpacity}
              />
            </div>
          </div>
          <div className="attention-rows">
            {maps.map((map) => (
              <AttentionNodeRow
                key={`${map.network}:${map.nodeId}`}
                map={map}
                gamma={run.gammas[nodeKey(map.network, map.nodeId)]?.gamma}
                pixels={pixels}
                size={cell}
                sampleInMap={shown.sampleInMap}
                points={points}
                scaleMax={scaleMax}
                opacity={opacity}
                distance={nodeAttentionDistance(map, shown.sampleInMap, points)}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
