import '../styles/training.css';
import { useEffect, useRef, useState } from 'react';
import { useEditor, useStudio, useTraining, useUi } from '../app/studio';
import { CompareView } from './CompareView';
import { ExportDialog } from './ExportDialog';
import { LiveView } from './LiveView';
import { RunList } from './RunList';
import { SweepDialog } from './SweepDialog';
import { TrainDialog } from './TrainDialog';
import type { DockTab } from './training-store';
import { LatentExplorerHost } from '../latent/LatentExplorer';

const tabs: { id: DockTab; label: string }[] = [
  { id: 'live', label: 'Live' },
  { id: 'runs', label: 'Runs' },
  { id: 'compare', label: 'Compare' },
];

/** The training view under the canvases: live run, run list, comparison; resizable, the canvases stay usable. */
function TrainingDock() {
  const training = useStudio().training;
  const tab = useTraining((s) => s.tab);
  const maximized = useTraining((s) => s.dockMaximized);
  // At most 45 % of the window at first, so the canvases above keep room on laptop screens.
  const [height, setHeight] = useState(() => Math.max(240, Math.min(460, Math.round(window.innerHeight * 0.45))));
  const drag = useRef<{ y: number; h: number } | null>(null);
  return (
    <section
      className={`training-dock${maximized ? ' maximized' : ''}`}
      style={maximized ? undefined : { height }}
      data-testid="training-dock"
      aria-label="Training"
    >
      <div
        className="dock-resizer"
        onPointerDown={(e) => {
          drag.current = { y: e.clientY, h: height };
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) =>
          drag.current &&
          setHeight(Math.min(window.innerHeight - 160, Math.max(200, drag.current.h - (e.clientY - drag.current.y))))
        }
        onPointerUp={() => (drag.current = null)}
        title="Drag to resize"
      />
      <header className="dock-head">
        <nav className="tabs dock-tabs" role="tablist">
          {tabs.map((t) => (
            <button
              key={t.id}
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? 'active' : ''}
              onClick={() => training.showDock(t.id)}
              data-testid={`dock-tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <button className="button small primary" onClick={() => training.openTrainDialog()} data-testid="dock-train">
          ▶ Train…
        </button>
        <button
          className="icon-button"
          onClick={() => training.store.setState((s) => ({ dockMaximized: !s.dockMaximized }))}
          title={maximized ? 'Restore' : 'Maximize'}
          aria-label={maximized ? 'Restore' : 'Maximize'}
        >
          {maximized ? '▾' : '▴'}
        </button>
        <button
          className="icon-button"
          onClick={() => training.store.setState({ dockOpen: false })}
          title="Hide the training view"
          aria-label="Hide the training view"
        >
          ✕
        </button>
      </header>
      <div className="dock-body">
        {tab === 'live' && <LiveView />}
        {tab === 'runs' && <RunList />}
        {tab === 'compare' && <CompareView />}
      </div>
    </section>
  );
}

/** What training adds to the app: the dock, its dialogs, its messages; keeps the run list of the open document. */
export function TrainingLayer() {
  const training = useStudio().training;
  const docPath = useEditor((s) => s.file.path);
  const connection = useUi((s) => s.connection);
  const open = useTraining((s) => s.dockOpen);
  const dialog = useTraining((s) => s.dialog);
  const close = () => training.closeDialog();
  useEffect(() => {
    if (connection === 'open') void training.library.refreshList();
  }, [training, docPath, connection]);
  // Events sent while the connection was down are lost: the watched run's log is filled from the host's.
  useEffect(() => {
    const watched = training.liveRun();
    if (connection === 'open' && watched?.detailLoaded) void training.library.loadDetail(watched.runId);
  }, [training, connection]);
  return (
    <>
      {open && <TrainingDock />}
      {dialog?.kind === 'train' && <TrainDialog onClose={close} />}
      <LatentExplorerHost />
      {dialog?.kind === 'sweep' && <SweepDialog network={dialog.network} nodeId={dialog.nodeId} onClose={close} />}
      {dialog?.kind === 'export' && (
        <ExportDialog
          runId={dialog.runId}
          onClose={close}
          onExport={(outDir, format) => training.exporter.exportTo(dialog.runId, outDir, format)}
          chooseFolder={training.exporter.chooseFolder}
        />
      )}
    </>
  );
}
