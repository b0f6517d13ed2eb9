import { NetworkPane } from '../canvas/NetworkPane';
import { Palette } from '../panels/Palette';
import { ProblemsPanel } from '../panels/ProblemsPanel';
import { RightPanel } from '../panels/RightPanel';
import { TrainingLayer } from '../training/TrainingDock';
import { Dialogs } from './Dialogs';
import { MenuBar } from './MenuBar';
import { PanelSplitter } from './PanelSplitter';
import { workspaceColumns } from './side-panels';
import { StatusBar } from './StatusBar';
import type { Studio } from './studio';
import { StudioProvider, useStudio, useUi } from './studio';
import { Toasts } from './Toasts';
import { useAutosave, useShortcuts, useStartup, useTitleAndLeaveGuard } from './use-app-lifecycle';

export function App({ studio }: { studio: Studio }) {
  return (
    <StudioProvider studio={studio}>
      <Shell />
    </StudioProvider>
  );
}

function Shell() {
  const studio = useStudio();
  useShortcuts(studio);
  useTitleAndLeaveGuard(studio);
  useAutosave(studio);
  useStartup(studio);
  const view = useUi((s) => s.view);
  const panels = useUi((s) => s.sidePanels);
  return (
    <div className="app">
      <MenuBar />
      <div className="workspace" style={{ gridTemplateColumns: workspaceColumns(panels) }}>
        <div className={`side-slot${panels.leftCollapsed ? ' collapsed' : ''}`} data-testid="side-left">
          <Palette />
        </div>
        <PanelSplitter side="left" />
        <main className="center">
          <div className={`panes view-${view}`}>
            {view !== 'discriminator' && <NetworkPane network="generator" />}
            {view !== 'generator' && <NetworkPane network="discriminator" />}
          </div>
          <ProblemsPanel />
          <TrainingLayer />
        </main>
        <PanelSplitter side="right" />
        <div className={`side-slot${panels.rightCollapsed ? ' collapsed' : ''}`} data-testid="side-right">
          <RightPanel />
        </div>
      </div>
      <StatusBar />
      <Dialogs />
      <Toasts />
    </div>
  );
}
