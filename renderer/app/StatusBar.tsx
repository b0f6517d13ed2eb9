import { TrainingStatus } from '../training/TrainingChrome';
import { useEditor, useUi, useValidation } from './studio';

const connectionText = {
  connecting: 'Connecting to the host…',
  open: 'Connected',
  reconnecting: 'Connection lost, reconnecting…',
};
/** In the desktop app the host is its engine process, which takes a moment to start (and restarts after a crash). */
const engineText: typeof connectionText = {
  connecting: 'Starting the engine…',
  open: 'Engine running',
  reconnecting: 'The engine stopped; starting it again…',
};

export function StatusBar() {
  const connection = useUi((s) => s.connection);
  const host = useUi((s) => s.host);
  const counts = useEditor((s) => `${s.doc.generator.nodes.length} + ${s.doc.discriminator.nodes.length} blocks`);
  const pending = useValidation((s) => s.pending);
  return (
    <footer className="statusbar">
      <span className={`conn conn-${connection}`}>
        ● {(window.saganHost ? engineText : connectionText)[connection]}
      </span>
      {host && (
        <span className="muted">
          {host.kind === 'web' ? 'Browser' : 'Desktop'} · {host.documentsDir}
        </span>
      )}
      <span className="spacer" />
      <TrainingStatus />
      <span className="muted">{counts}</span>
      <span className="muted">{pending ? 'Checking…' : 'Shapes up to date'}</span>
      <span className="muted">Drag a block onto a connection to insert it · Shift+drag to select several</span>
    </footer>
  );
}
