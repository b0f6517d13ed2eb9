import type { NetworkName } from '../../graph-schemas';
import { copyNodes, parseClipboard, pasteNodes } from '../store/clipboard';
import { canCopyToEdit, copyToEdit } from '../store/composite-edits';
import { removeElements } from '../store/graph-edits';
import { save } from './file-actions';
import type { Shortcut } from './shortcuts';
import type { Studio } from './studio';
import type { ViewMode } from './ui-store';
import { notify } from './ui-store';

export interface Action {
  id: string;
  label: string;
  /** The first is shown in menus and tooltips; the others also work (Ctrl+Y for redo). */
  shortcuts: Shortcut[];
  /** Works even while typing in a field (save, open). */
  inFields?: boolean;
  enabled?(studio: Studio): boolean;
  run(studio: Studio): void | Promise<unknown>;
}

const hasSelection = (s: Studio) => {
  const { selection } = s.editor.getState();
  return selection.nodes.length + selection.edges.length > 0;
};
const hasNodes = (s: Studio) => s.editor.getState().selection.nodes.length > 0;

function deleteSelection(studio: Studio): void {
  const inside = studio.ui.getState().inside;
  if (inside) return inside.deleteSelected(); // a block is open: Delete acts on its parts
  const { selection } = studio.editor.getState();
  if (!selection.nodes.length && !selection.edges.length) return;
  const report = studio.validation.getState().report ?? undefined;
  const result = studio.editor
    .getState()
    .execute(removeElements(selection.network, selection.nodes, selection.edges, report));
  if (result.ok && result.note) notify(studio.ui, 'info', result.note);
}

function copySelection(studio: Studio): boolean {
  const { doc, selection } = studio.editor.getState();
  const content = copyNodes(doc, selection.network, selection.nodes);
  if (!content) return false;
  studio.ui.setState({ clipboard: content, pastes: 0 });
  // Also on the system clipboard, as JSON, for another window; a refusal there costs nothing.
  void navigator.clipboard?.writeText(JSON.stringify(content)).catch(() => undefined);
  return true;
}

/**
 * Pastes what the system clipboard holds when it is nodes copied by SAGAN Studio (from this window or another),
 * else what this window copied last. `text` is the clipboard's text from the paste event.
 */
export function pasteText(studio: Studio, text: string | undefined): void {
  const incoming = text ? parseClipboard(text) : undefined;
  const current = studio.ui.getState().clipboard;
  // The same content as the last copy here keeps counting pastes, so each lands a step further on.
  if (incoming && JSON.stringify(incoming) !== JSON.stringify(current))
    studio.ui.setState({ clipboard: incoming, pastes: 0 });
  paste(studio);
}

function paste(studio: Studio, label = 'Paste'): void {
  const { clipboard, pastes, activeNetwork, panes } = studio.ui.getState();
  if (!clipboard) return notify(studio.ui, 'info', 'Nothing to paste: select nodes and copy them first.');
  let offset = { x: 40 * (pastes + 1), y: 40 * (pastes + 1) };
  if (clipboard.network !== activeNetwork) {
    // Into the other network: put the copies in the middle of what is on screen there.
    const center = panes[activeNetwork]?.center() ?? { x: 0, y: 0 };
    const xs = clipboard.nodes.map((n) => n.position?.x ?? 0);
    const ys = clipboard.nodes.map((n) => n.position?.y ?? 0);
    offset = {
      x: center.x - (Math.min(...xs) + Math.max(...xs)) / 2 - 120,
      y: center.y - (Math.min(...ys) + Math.max(...ys)) / 2 - 40,
    };
  }
  const result = studio.editor.getState().execute(pasteNodes(activeNetwork, clipboard, offset, label));
  if (result.ok) studio.ui.setState({ pastes: pastes + 1 });
  if (result.ok && result.note) notify(studio.ui, 'info', result.note);
}

const setView = (view: ViewMode, network?: NetworkName) => (studio: Studio) =>
  studio.ui.setState({ view, ...(network ? { activeNetwork: network } : {}) });

export const actions: Action[] = [
  {
    id: 'file.new',
    label: 'New from preset…',
    shortcuts: [
      { key: 'n', mod: true, alt: true },
      { key: 'n', mod: true },
    ],
    inFields: true,
    run: (s) => s.ui.setState({ dialog: { kind: 'presets', welcome: false } }),
  },
  {
    id: 'file.open',
    label: 'Open…',
    shortcuts: [{ key: 'o', mod: true }],
    inFields: true,
    run: (s) => s.ui.setState({ dialog: { kind: 'open' } }),
  },
  { id: 'file.save', label: 'Save', shortcuts: [{ key: 's', mod: true }], inFields: true, run: (s) => save(s) },
  {
    id: 'file.saveAs',
    label: 'Save as…',
    shortcuts: [{ key: 's', mod: true, shift: true }],
    inFields: true,
    run: (s) => s.ui.setState({ dialog: { kind: 'save-as' } }),
  },

  {
    id: 'edit.undo',
    label: 'Undo',
    shortcuts: [{ key: 'z', mod: true }],
    enabled: (s) => s.editor.getState().past.length > 0,
    run: (s) => {
      const label = s.editor.getState().undo();
      if (label) notify(s.ui, 'info', `Undid: ${label}`);
    },
  },
  {
    id: 'edit.redo',
    label: 'Redo',
    shortcuts: [
      { key: 'z', mod: true, shift: true },
      { key: 'y', mod: true },
    ],
    enabled: (s) => s.editor.getState().future.length > 0,
    run: (s) => {
      const label = s.editor.getState().redo();
      if (label) notify(s.ui, 'info', `Redid: ${label}`);
    },
  },
  {
    id: 'edit.cut',
    label: 'Cut',
    shortcuts: [{ key: 'x', mod: true }],
    enabled: hasNodes,
    run: (s) => {
      if (copySelection(s)) deleteSelection(s);
    },
  },
  {
    id: 'edit.copy',
    label: 'Copy',
    shortcuts: [{ key: 'c', mod: true }],
    enabled: hasNodes,
    run: (s) => void copySelection(s),
  },
  {
    id: 'edit.paste',
    label: 'Paste',
    shortcuts: [{ key: 'v', mod: true }],
    enabled: (s) => s.ui.getState().clipboard !== null,
    run: (s) => paste(s),
  },
  {
    id: 'edit.duplicate',
    label: 'Duplicate',
    shortcuts: [{ key: 'd', mod: true }],
    enabled: hasNodes,
    run: (s) => {
      const previous = s.ui.getState().clipboard;
      if (!copySelection(s)) return;
      s.ui.setState({ activeNetwork: s.editor.getState().selection.network });
      paste(s, 'Duplicate');
      s.ui.setState({ clipboard: previous, pastes: 0 });
    },
  },
  {
    id: 'edit.groupIntoBlock',
    label: 'Group into block',
    shortcuts: [{ key: 'g', mod: true }],
    enabled: hasNodes,
    // Asks which params the block exposes (GroupDialog), then groups.
    run: (s) => {
      const { selection } = s.editor.getState();
      if (selection.nodes.length === 0) return;
      s.ui.setState({ dialog: { kind: 'group', network: selection.network, nodeIds: [...selection.nodes] } });
    },
  },
  {
    id: 'edit.makeEditableCopy',
    label: 'Make editable copy',
    shortcuts: [{ key: 'e', mod: true, shift: true }],
    enabled: (s) => {
      const { doc, selection } = s.editor.getState();
      return selection.nodes.length === 1 && canCopyToEdit(doc, selection.network, selection.nodes[0]!);
    },
    run: (s) => {
      const { selection } = s.editor.getState();
      if (selection.nodes.length !== 1) return;
      const result = s.editor.getState().execute(copyToEdit(selection.network, selection.nodes[0]!));
      notify(s.ui, result.ok ? 'success' : 'warning', result.ok ? (result.note ?? 'Copied.') : result.reason);
    },
  },
  {
    id: 'edit.delete',
    label: 'Delete',
    shortcuts: [{ key: 'Delete' }, { key: 'Backspace' }],
    enabled: hasSelection,
    run: deleteSelection,
  },
  {
    id: 'edit.selectAll',
    label: 'Select all',
    shortcuts: [{ key: 'a', mod: true }],
    run: (s) => {
      const network = s.ui.getState().activeNetwork;
      const net = s.editor.getState().doc[network];
      s.editor.getState().select({ network, nodes: net.nodes.map((n) => n.id), edges: [] });
    },
  },

  {
    id: 'view.fit',
    label: 'Fit view',
    shortcuts: [{ key: 'f' }],
    run: (s) => Object.values(s.ui.getState().panes).forEach((p) => p?.fitView()),
  },
  {
    id: 'view.layout',
    label: 'Auto-layout',
    shortcuts: [{ key: 'l' }],
    run: async (s) => {
      const { panes, view, activeNetwork } = s.ui.getState();
      await panes[view === 'both' ? activeNetwork : view]?.autoLayout();
    },
  },
  {
    id: 'view.zoomSelection',
    label: 'Zoom to selection',
    shortcuts: [{ key: 'z' }],
    enabled: hasNodes,
    run: (s) => {
      const { network, nodes } = s.editor.getState().selection;
      s.ui.getState().panes[network]?.showNodes(nodes);
    },
  },
  {
    id: 'view.minimap',
    label: 'Show minimap',
    shortcuts: [{ key: 'm' }],
    run: (s) => s.ui.setState((u) => ({ showMinimap: !u.showMinimap })),
  },
  {
    id: 'view.labelPins',
    label: 'Class labels as pins',
    shortcuts: [{ key: 'k' }],
    run: (s) => s.ui.setState((u) => ({ labelPins: !u.labelPins })),
  },
  {
    id: 'view.problems',
    label: 'Show problems',
    shortcuts: [{ key: 'p' }],
    run: (s) => s.ui.setState((u) => ({ problemsOpen: !u.problemsOpen })),
  },
  {
    id: 'view.generator',
    label: 'Generator only',
    shortcuts: [{ key: '1', alt: true }],
    run: setView('generator', 'generator'),
  },
  { id: 'view.both', label: 'Generator and discriminator', shortcuts: [{ key: '2', alt: true }], run: setView('both') },
  {
    id: 'view.discriminator',
    label: 'Discriminator only',
    shortcuts: [{ key: '3', alt: true }],
    run: setView('discriminator', 'discriminator'),
  },
  {
    id: 'help.gettingStarted',
    label: 'Getting started',
    shortcuts: [],
    run: (s) => s.ui.setState({ dialog: { kind: 'getting-started' } }),
  },
  {
    id: 'help.shortcuts',
    label: 'Keyboard shortcuts',
    shortcuts: [{ key: 'F1' }, { key: '?', shift: true }],
    run: (s) => s.ui.setState({ dialog: { kind: 'shortcuts' } }),
  },
];

const byId = new Map(actions.map((a) => [a.id, a]));

export function action(id: string): Action {
  const found = byId.get(id);
  if (!found) throw new Error(`Unknown action "${id}".`);
  return found;
}

export function runAction(studio: Studio, id: string): void {
  const a = action(id);
  if (a.enabled && !a.enabled(studio)) return;
  void Promise.resolve(a.run(studio)).catch((e: unknown) =>
    notify(studio.ui, 'error', `${a.label} failed: ${e instanceof Error ? e.message : String(e)}`),
  );
}
