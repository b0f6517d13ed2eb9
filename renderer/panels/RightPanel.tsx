import { useStudio, useUi } from '../app/studio';
import type { RightTab } from '../app/ui-store';
import { DocumentPanel } from './DocumentPanel';
import { Inspector } from './Inspector';
import { TrainingPanel } from './TrainingPanel';

const tabs: { id: RightTab; label: string }[] = [
  { id: 'node', label: 'Inspector' },
  { id: 'training', label: 'Training' },
  { id: 'document', label: 'Document' },
];

export function RightPanel() {
  const studio = useStudio();
  const tab = useUi((s) => s.rightTab);
  return (
    <aside className="right-panel">
      <nav className="tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'active' : ''}
            onClick={() => studio.ui.setState({ rightTab: t.id })}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="tab-body">
        {tab === 'node' && <Inspector />}
        {tab === 'training' && <TrainingPanel />}
        {tab === 'document' && <DocumentPanel />}
      </div>
    </aside>
  );
}
