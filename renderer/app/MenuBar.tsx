import { useEffect, useRef, useState } from 'react';
import type { RecentFile } from '../../graph-schemas';
import { formatCount } from '../canvas/node-view';
import { displayName } from '../files/file-session';
import { isDirty } from '../store/document-store';
import { TrainMenu, TrainToolButtons } from '../training/TrainingChrome';
import { action, runAction } from './actions';
import { openPath } from './file-actions';
import { formatShortcut } from './shortcuts';
import { useEditor, useStudio, useUi, useValidation } from './studio';

const menus: { title: string; items: (string | '-')[] }[] = [
  { title: 'File', items: ['file.new', 'file.open', 'recent', '-', 'file.save', 'file.saveAs'] },
  {
    title: 'Edit',
    items: [
      'edit.undo',
      'edit.redo',
      '-',
      'edit.cut',
      'edit.copy',
      'edit.paste',
      'edit.duplicate',
      'edit.delete',
      '-',
      'edit.groupIntoBlock',
      'edit.makeEditableCopy',
      '-',
      'edit.selectAll',
    ],
  },
  {
    title: 'View',
    items: [
      'view.fit',
      'view.zoomSelection',
      'view.layout',
      '-',
      'view.generator',
      'view.both',
      'view.discriminator',
      '-',
      'view.minimap',
      'view.labelPins',
      'view.problems',
    ],
  },
  { title: 'Help', items: ['help.gettingStarted', 'help.shortcuts'] },
];

/** The menu bar and toolbar: menus with their shortcuts, the document's name with its dirty marker, totals. */
export function MenuBar() {
  const studio = useStudio();
  const [open, setOpen] = useState<string | null>(null);
  const [recent, setRecent] = useState<RecentFile[] | null>(null);
  const bar = useRef<HTMLDivElement>(null);
  // Re-render when anything that enables menu items changes.
  useEditor((s) => s.past.length);
  useEditor((s) => s.future.length);
  useEditor((s) => s.selection);
  useUi((s) => s.clipboard);
  useUi((s) => s.showMinimap);
  useUi((s) => s.labelPins);
  useUi((s) => s.problemsOpen);
  const dirty = useEditor(isDirty);
  const name = useEditor(() => displayName(studio.editor));
  const path = useEditor((s) => s.file.path);
  const totals = useValidation((s) => s.report?.totals);

  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => !bar.current?.contains(e.target as Node) && setOpen(null);
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(null);
    window.addEventListener('pointerdown', close);
    window.addEventListener('keydown', escape);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('keydown', escape);
    };
  }, [open]);

  useEffect(() => {
    // The list shown last stays up while it is asked again.
    if (open !== 'File') return;
    studio.api.files.recent().then(setRecent, () => setRecent([]));
  }, [open, studio]);

  const run = (id: string) => {
    setOpen(null);
    runAction(studio, id);
  };

  return (
    <div className="menubar" ref={bar}>
      <span className="brand">
        <span className="brand-mark">◭</span> SAGAN Studio
      </span>
      <nav className="menus">
        {menus.map((m) => (
          <div key={m.title} className="menu">
            <button
              className={`menu-title${open === m.title ? ' open' : ''}`}
              onClick={() => setOpen(open === m.title ? null : m.title)}
              onPointerEnter={() => open && setOpen(m.title)}
            >
              {m.title}
            </button>
            {open === m.title && (
              <div className="menu-dropdown" role="menu">
                {m.items.map((id, i) => {
                  if (id === '-') return <div key={i} className="menu-sep" />;
                  if (id === 'recent')
                    return (
                      <RecentItems
                        key="recent"
                        recent={recent}
                        onOpen={(p) => {
                          setOpen(null);
                          void openPath(studio, p);
                        }}
                      />
                    );
                  const a = action(id);
                  const enabled = a.enabled ? a.enabled(studio) : true;
                  const checked =
                    id === 'view.minimap'
                      ? studio.ui.getState().showMinimap
                      : id === 'view.labelPins'
                        ? studio.ui.getState().labelPins
                        : id === 'view.problems'
                          ? studio.ui.getState().problemsOpen
                          : undefined;
                  return (
                    <button
                      key={id}
                      role="menuitem"
                      className="menu-item"
                      disabled={!enabled}
                      onClick={() => run(id)}
                      data-action={id}
                    >
                      <span className="menu-check">{checked ? '✓' : ''}</span>
                      <span className="menu-label">{a.label}</span>
                      {a.shortcuts[0] && <kbd>{formatShortcut(a.shortcuts[0])}</kbd>}
                    </button>
                  );
                })}
              </div>
            )}
          </div>
        ))}
        <TrainMenu open={open === 'Train'} setOpen={setOpen} />
      </nav>
      <div className="doc-title" title={path ?? 'Not saved yet'}>
        {dirty && (
          <span className="dirty-dot" title="Unsaved changes" data-testid="dirty-marker">
            ●
          </span>
        )}
        <span data-testid="doc-name">{name}</span>
        {dirty && <span className="muted small">edited</span>}
      </div>
      <div className="toolbar">
        <ToolButton id="edit.undo" icon="↶" />
        <ToolButton id="edit.redo" icon="↷" />
        <ToolButton id="view.layout" icon="⊞" />
        <ToolButton id="view.fit" icon="⤢" />
        <ToolButton id="file.save" icon="⤓" />
        <TrainToolButtons />
      </div>
      <div className="totals" data-testid="totals" title="Trainable parameters of the generator and the discriminator">
        <span>
          G <strong data-testid="toolbar-total-generator">{totals ? formatCount(totals.generatorParams) : '…'}</strong>
        </span>
        <span>
          D{' '}
          <strong data-testid="toolbar-total-discriminator">
            {totals ? formatCount(totals.discriminatorParams) : '…'}
          </strong>
        </span>
      </div>
      <ViewSwitch />
    </div>
  );
}

function ToolButton({ id, icon }: { id: string; icon: string }) {
  const studio = useStudio();
  const a = action(id);
  const enabled = a.enabled ? a.enabled(studio) : true;
  return (
    <button
      className="tool-button"
      disabled={!enabled}
      onClick={() => runAction(studio, id)}
      title={`${a.label} (${formatShortcut(a.shortcuts[0]!)})`}
      aria-label={a.label}
    >
      {icon}
    </button>
  );
}

function ViewSwitch() {
  const studio = useStudio();
  const view = useUi((s) => s.view);
  const options = [
    ['view.generator', 'generator', 'G'],
    ['view.both', 'both', 'G + D'],
    ['view.discriminator', 'discriminator', 'D'],
  ] as const;
  return (
    <div className="segmented" role="group" aria-label="Which networks to show">
      {options.map(([id, v, text]) => (
        <button
          key={v}
          className={view === v ? 'active' : ''}
          onClick={() => runAction(studio, id)}
          title={`${action(id).label} (${formatShortcut(action(id).shortcuts[0]!)})`}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

function RecentItems({ recent, onOpen }: { recent: RecentFile[] | null; onOpen(path: string): void }) {
  if (recent === null) return <div className="menu-note">Recent files…</div>;
  if (recent.length === 0) return <div className="menu-note">No recent files</div>;
  return (
    <>
      <div className="menu-note">Recent</div>
      {recent.slice(0, 8).map((r) => (
        <button key={r.path} className="menu-item" onClick={() => onOpen(r.path)} title={r.path}>
          <span className="menu-check" />
          <span className="menu-label">{r.name}</span>
        </button>
      ))}
    </>
  );
}
