import { formatDuration, formatRate } from './format';
import { isLive } from './run-state';
import type { TrainingClient } from './training-client';
import { useTraining, useTrainingClient } from './use-training';

interface MenuItem {
  id: string;
  label: string;
  enabled(client: TrainingClient): boolean;
  run(client: TrainingClient): void;
  checked?(client: TrainingClient): boolean;
}

const live = (c: TrainingClient) => c.liveRun();

export const trainMenu: (MenuItem | '-')[] = [
  { id: 'train.start', label: 'Start training…', enabled: (c) => !live(c), run: (c) => c.openTrainDialog() },
  {
    id: 'train.pause',
    label: 'Pause',
    enabled: (c) => live(c)?.status === 'running',
    run: (c) => void c.pause(live(c)!.runId),
  },
  {
    id: 'train.continue',
    label: 'Continue',
    enabled: (c) => live(c)?.status === 'paused',
    run: (c) => void c.continue(live(c)!.runId),
  },
  {
    id: 'train.stop',
    label: 'Stop (keeps a checkpoint)',
    enabled: (c) => !!live(c),
    run: (c) => void c.stop(live(c)!.runId),
  },
  '-',
  {
    id: 'train.view',
    label: 'Show training view',
    enabled: () => true,
    run: (c) => c.toggleDock(),
    checked: (c) => c.state.dockOpen,
  },
  { id: 'train.runs', label: 'Runs…', enabled: () => true, run: (c) => c.showDock('runs') },
  { id: 'train.compare', label: 'Compare runs…', enabled: () => true, run: (c) => c.showDock('compare') },
  '-',
  { id: 'train.export', label: 'Export model…', enabled: () => true, run: (c) => void c.exportNewest() },
];

/** The Train menu of the menu bar (the desktop's native menu sends the same commands as app.command). */
export function TrainMenu({ open, setOpen }: { open: boolean; setOpen(title: string | null): void }) {
  const client = useTrainingClient();
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
                disabled={!item.enabled(client)}
                data-action={item.id}
                onClick={() => {
                  setOpen(null);
                  item.run(client);
                }}
              >
                <span className="menu-check">{item.checked?.(client) ? '✓' : ''}</span>
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
  const client = useTrainingClient();
  const run = useTraining((s) => (s.watched ? s.runs[s.watched] : undefined));
  const running = isLive(run) ? run : undefined;
  return (
    <>
      {running?.status === 'paused' ? (
        <button
          className="tool-button train-button"
          onClick={() => void client.continue(running.runId)}
          title="Continue training"
          aria-label="Continue training"
        >
          ▶
        </button>
      ) : running ? (
        <button
          className="tool-button train-button"
          onClick={() => void client.pause(running.runId)}
          title="Pause training"
          aria-label="Pause training"
          data-testid="toolbar-pause"
        >
          ❚❚
        </button>
      ) : (
        <button
          className="tool-button train-button"
          onClick={() => client.openTrainDialog()}
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
        onClick={() => running && void client.stop(running.runId)}
        title="Stop training (keeps a checkpoint)"
        aria-label="Stop training"
      >
        ■
      </button>
      <button
        className="tool-button"
        onClick={() => client.toggleDock()}
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
  const client = useTrainingClient();
  const run = useTraining((s) => (s.watched ? s.runs[s.watched] : undefined));
  if (!run) return null;
  const text = isLive(run)
    ? `${run.status === 'paused' ? 'Paused' : 'Training'} · step ${run.step}/${run.totalSteps} · ${formatRate(run.itPerSec)} it/s · ETA ${formatDuration(run.etaSec)}`
    : `Run ${run.status} at step ${run.step}`;
  return (
    <button
      className={`status-training status-${run.status}`}
      onClick={() => client.showDock('live')}
      data-testid="status-training"
    >
      ◷ {text}
    </button>
  );
}
