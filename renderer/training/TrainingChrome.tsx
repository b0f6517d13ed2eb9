import { formatDuration, formatRate } from './format';
import { isLive } from './run-state';
import type { Training } from './training';
import { useStudio, useTraining } from '../app/studio';

interface MenuItem {
  id: string;
  label: string;
  enabled(t: Training): boolean;
  run(t: Training): void;
  checked?(t: Training): boolean;
}

const live = (t: Training) => t.liveRun();

export const trainMenu: (MenuItem | '-')[] = [
  { id: 'train.start', label: 'Start training…', enabled: (t) => !live(t), run: (t) => t.openTrainDialog() },
  {
    id: 'train.pause',
    label: 'Pause',
    enabled: (t) => live(t)?.status === 'running',
    run: (t) => void t.control.pause(live(t)!.runId),
  },
  {
    id: 'train.continue',
    label: 'Continue',
    enabled: (t) => live(t)?.status === 'paused',
    run: (t) => void t.control.continue(live(t)!.runId),
  },
  {
    id: 'train.stop',
    label: 'Stop (keeps a checkpoint)',
    enabled: (t) => !!live(t),
    run: (t) => void t.control.stop(live(t)!.runId),
  },
  '-',
  {
    id: 'train.view',
    label: 'Show training view',
    enabled: () => true,
    run: (t) => t.toggleDock(),
    checked: (t) => t.store.getState().dockOpen,
  },
  { id: 'train.runs', label: 'Runs…', enabled: () => true, run: (t) => t.showDock('runs') },
  { id: 'train.compare', label: 'Compare runs…', enabled: () => true, run: (t) => t.showDock('compare') },
  '-',
  { id: 'train.export', label: 'Export model…', enabled: () => true, run: (t) => void t.exporter.exportNewest() },
];

/** The Train menu of the menu bar (the desktop's native menu sends the same commands as app.command). */
export function TrainMenu({ open, setOpen }: { open: boolean; setOpen(title: string | null): void }) {
  const training = useStudio().training;
  useTraining((s) => s.runs);
  useTraining((s) => s.dockOpen);
  return (
    <div className="menu">
      <button className={`menu-title${open ? ' open' : ''}`} onClick={() => setOpen(open ? null : 'Train')}>
        Train
      </button>
      {open && (
        <div className="menu-dropdown" role="menu">
          {trainMenu.map((item, i) =>
            item === '-' ? (
              <div key={i} className="menu-sep" />
            ) : (
              <button
                key={item.id}
                role="menuitem"
                className="menu-item"
                disabled={!item.enabled(training)}
                data-action={item.id}
                onClick={() => {
                  setOpen(null);
                  item.run(training);
                }}
              >
                <span className="menu-check">{item.checked?.(training) ? '✓' : ''}</span>
                <span className="menu-label">{item.label}</span>
              </button>
            ),
          )}
        </div>
      )}
    </div>
  );
}

/** Toolbar buttons: train (or continue), pause, stop, and the training view. */
export function TrainToolButtons() {
  const training = useStudio().training;
  const run = useTraining((s) => (s.watched ? s.runs[s.watched] : undefined));
  const running = isLive(run) ? run : undefined;
  return (
    <>
      {running?.status === 'paused' ? (
        <button
          className="tool-button train-button"
          onClick={() => void training.control.continue(running.runId)}
          title="Continue training"
          aria-label="Continue training"
        >
          ▶
        </button>
      ) : running ? (
        <button
          className="tool-button train-button"
          onClick={() => void training.control.pause(running.runId)}
          title="Pause training"
          aria-label="Pause training"
          data-testid="toolbar-pause"
        >
          ❚❚
        </button>
      ) : (
        <button
          className="tool-button train-button"
          onClick={() => training.openTrainDialog()}
          title="Start training…"
          aria-label="Start training"
          data-testid="toolbar-train"
        >
          ▶
        </button>
      )}
      <button
        className="tool-button"
        disabled={!running}
        onClick={() => running && void training.control.stop(running.runId)}
        title="Stop training (keeps a checkpoint)"
        aria-label="Stop training"
      >
        ■
      </button>
      <button
        className="tool-button"
        onClick={() => training.toggleDock()}
        title="Show or hide the training view"
        aria-label="Training view"
        data-testid="toolbar-training-view"
      >
        ◫
      </button>
    </>
  );
}

/** The watched run in the status bar; clicking shows the training view. */
export function TrainingStatus() {
  const training = useStudio().training;
  const run = useTraining((s) => (s.watched ? s.runs[s.watched] : undefined));
  if (!run) return null;
  const text = isLive(run)
    ? `${run.status === 'paused' ? 'Paused' : 'Training'} · step ${run.step}/${run.totalSteps} · ${formatRate(run.itPerSec)} it/s · ETA ${formatDuration(run.etaSec)}`
    : `Run ${run.status} at step ${run.step}`;
  return (
    <button
      className={`status-training status-${run.status}`}
      onClick={() => training.showDock('live')}
      data-testid="status-training"
    >
      ◷ {text}
    </button>
  );
}
