import { useState } from 'react';
import { AttentionExplorer } from './AttentionExplorer';
import { ScoreHistogramView, SigmaList } from './Diagnostics';
import { GammaChart, LossChart } from './LiveCharts';
import { QualityChart } from './QualityChart';
import { RunControls, StoppedBanner } from './RunControls';
import { SampleGridView } from './SampleGrid';
import { useStudio, useTraining } from '../app/studio';

/** The watched run: progress and controls, curves, samples, attention, σ and D's scores. */
export function LiveView() {
  const training = useStudio().training;
  const run = useTraining((s) => (s.watched ? s.runs[s.watched] : undefined));
  // The scrubbed step of the sample grid, shared with the attention explorer (which shows that sample).
  const [pin, setPin] = useState<{ runId: string; step: number | null } | null>(null);
  if (!run) {
    return (
      <div className="dock-empty">
        <p>No run is shown. Train the open document, or open an earlier run from the run list.</p>
        <div className="button-row">
          <button className="button primary" onClick={() => training.openTrainDialog()}>
            ▶ Start training…
          </button>
          <button className="button" onClick={() => training.showDock('runs')}>
            Runs
          </button>
        </div>
      </div>
    );
  }
  const pinned = pin?.runId === run.runId ? pin.step : null;
  const setPinned = (step: number | null) => {
    setPin({ runId: run.runId, step });
    training.explorer.showStep(run.runId, step);
  };
  return (
    <div className="live-view" data-testid="live-view" data-run-id={run.runId}>
      <RunControls run={run} />
      <StoppedBanner run={run} />
      {run.notices.length > 0 && (
        <div className={`notice notice-${run.notices[run.notices.length - 1]!.level}`} data-testid="run-notice">
          {run.notices[run.notices.length - 1]!.message}
        </div>
      )}
      <div className="live-grid">
        <div className="live-col charts-col">
          <LossChart log={run.log} version={run.log.version} />
          <QualityChart points={run.quality} />
          <GammaChart run={run} version={run.log.version} />
          <div className="diagnostics-row">
            <ScoreHistogramView run={run} />
            <SigmaList run={run} />
          </div>
        </div>
        <div className="live-col samples-col">
          <SampleGridView run={run} pinned={pinned} setPinned={setPinned} />
        </div>
        <div className="live-col">
          <AttentionExplorer run={run} pinnedStep={pinned} onShowStep={setPinned} />
        </div>
      </div>
    </div>
  );
}
