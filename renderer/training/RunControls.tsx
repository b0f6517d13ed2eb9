import { useState } from 'react';
import { formatDuration, formatRate } from './format';
import type { RunView } from './run-state';
import { canResume, etaCheck, isLive } from './run-state';
import { useStudio, useTraining } from '../app/studio';
import { openLatentExplorer } from '../latent/latent-open';

const statusText: Record<RunView['status'], string> = {
  starting: 'Starting',
  running: 'Training',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
  diverged: 'Diverged',
  error: 'Failed',
};

export function StatusPill({ status, pausing }: { status: RunView['status']; pausing?: boolean }) {
  return (
    <span className={`run-status status-${status}`} data-testid="run-status">
      {pausing && status === 'running' ? 'Pausing…' : statusText[status]}
    </span>
  );
}

/** The watched run's progress and its buttons: pause, continue, stop, resume, export, sampling interval. */
export function RunControls({ run }: { run: RunView }) {
  const training = useStudio().training;
  const busy = useTraining((s) => s.busy[run.runId]);
  const live = isLive(run);
  const pct = run.totalSteps ? Math.min(100, (run.step / run.totalSteps) * 100) : 0;
  return (
    <div className="run-controls">
      <StatusPill status={run.status} pausing={run.pauseRequested} />
      <span className="run-name" title={run.runId}>
        {run.name}
      </span>
      <span className="step-counter mono" data-testid="step-counter" data-step={run.step}>
        step {run.step.toLocaleString()} / {run.totalSteps.toLocaleString()}
      </span>
      <span className="progress" aria-hidden>
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="mono small" data-testid="it-per-sec">
        {formatRate(run.itPerSec)} it/s
      </span>
      <span className="mono small" data-testid="eta">
        ETA {live ? formatDuration(run.etaSec) : '–'}
      </span>
      {live && <EtaCheck run={run} />}
      {run.backend && (
        <span className="backend-tag" title={run.backendReason || run.backend} data-testid="run-backend">
          {run.backend}
        </span>
      )}
      {run.backendReason && (
        <span className="muted small backend-reason" title={run.backendReason}>
          {run.backendReason}
        </span>
      )}
      {run.readOnly && <span className="muted small">read-only</span>}
      <span className="spacer" />
      {busy && <span className="muted small">{busy}…</span>}
      {live && run.status !== 'paused' && (
        <button
          className="button"
          disabled={!!busy || run.pauseRequested}
          onClick={() => void training.control.pause(run.runId)}
          data-testid="run-pause"
        >
          ❚❚ Pause
        </button>
      )}
      {run.status === 'paused' && (
        <button
          className="button primary"
          disabled={!!busy}
          onClick={() => void training.control.continue(run.runId)}
          data-testid="run-continue"
        >
          ▶ Continue
        </button>
      )}
      {live && (
        <button
          className="button danger"
          disabled={busy === 'stopping'}
          onClick={() => void training.control.stop(run.runId)}
          data-testid="run-stop"
        >
          ■ Stop
        </button>
      )}
      {canResume(run) && (
        <button
          className="button primary"
          disabled={!!busy}
          onClick={() => void training.control.resume(run.runId)}
          data-testid="run-resume"
          title={`Continue from the checkpoint at step ${run.checkpointStep}`}
        >
          ⟳ Resume from step {run.checkpointStep}
        </button>
      )}
      {live && <SampleEvery run={run} />}
      {run.checkpointStep !== null && (
        <button
          className="button"
          disabled={busy === 'exporting'}
          onClick={() => training.exporter.exportRun(run.runId)}
          data-testid="run-export"
          title="Write the newest checkpoint as a tfjs model folder"
        >
          Export…
        </button>
      )}
      {run.checkpointStep !== null && (
        <button
          className="button"
          onClick={() => openLatentExplorer({ kind: 'run', runId: run.runId }, run.name || run.runId)}
          data-testid="run-latent"
          title="Grids, truncation and interpolation drawn from a checkpoint of this run"
        >
          Latent explorer…
        </button>
      )}
    </div>
  );
}

function SampleEvery({ run }: { run: RunView }) {
  const training = useStudio().training;
  const [value, setValue] = useState('');
  const commit = () => {
    const every = Number(value);
    if (Number.isInteger(every) && every >= 1) void training.control.setSampleEvery(run.runId, every);
    setValue('');
  };
  return (
    <label className="inline-field small" title="Steps between sample grids, for this run">
      grid every
      <input
        className="mini-input"
        inputMode="numeric"
        placeholder="steps"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => value && commit()}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}

/** Divergence and failure: at which step, why, and the last good checkpoint to resume from. */
export function StoppedBanner({ run }: { run: RunView }) {
  const training = useStudio().training;
  const info = run.stopped;
  if (!info || (info.reason !== 'diverged' && info.reason !== 'error')) return null;
  return (
    <div className="stopped-banner" role="alert" data-testid="stopped-banner">
      <strong>
        {info.reason === 'diverged' ? `Diverged at step ${info.step}.` : `Training failed at step ${info.step}.`}
      </strong>{' '}
      <span>{info.message}</span>
      {info.checkpointStep !== null ? (
        <button className="button primary" onClick={() => void training.control.resume(run.runId)}>
          Resume from the last good checkpoint (step {info.checkpointStep})
        </button>
      ) : (
        <span className="muted"> No checkpoint to resume from.</span>
      )}
    </div>
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The Train dialog's estimate beside what this run's first steps measured (the ETA follows the measurement). */
function EtaCheck({ run }: { run: RunView }) {
  const check = etaCheck(run);
  if (!check) return null;
  if (check.pending)
    return (
      <span className="muted small eta-check" data-testid="eta-check" data-state="pending">
        estimated {seconds(check.estimatedMs)}/it ({run.estimate!.confidence} confidence); checking on the first steps…
      </span>
    );
  const pct = Math.round(Math.abs(check.off) * 100);
  const close = pct <= 15;
  return (
    <span
      className={`small eta-check${close ? ' muted' : ' off'}`}
      data-testid="eta-check"
      data-state={close ? 'held' : 'corrected'}
      title="The ETA uses the median of the run's recent iterations, its first (warm-up) iteration left out."
    >
      measured {seconds(check.measuredMs)}/it vs estimated {seconds(check.estimatedMs)}/it ({check.off >= 0 ? '+' : '−'}
      {pct} %){close ? '' : ' — ETA corrected'}
    </span>
  );
}
