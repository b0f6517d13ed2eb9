import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { HostInfo, NetworkName, RecoverySnapshot } from '../../graph-schemas';
import type { ConnectionStatus } from '../api/web-transport';
import type { ClipboardContent } from '../store/clipboard';
import type { SidePanels } from './side-panels';
import { defaultSidePanels } from './side-panels';

export type ViewMode = 'both' | NetworkName;
export type RightTab = 'node' | 'training' | 'document';

export type Dialog =
  | { kind: 'presets'; welcome: boolean }
  | { kind: 'open' }
  | { kind: 'save-as' }
  | { kind: 'recover'; snapshot: RecoverySnapshot }
  | { kind: 'shortcuts' }
  | { kind: 'getting-started' }
  /** "Group into block": which of the selected parts' params each use of the new block sets. */
  | { kind: 'group'; network: NetworkName; nodeIds: readonly string[] }
  | {
      kind: 'confirm';
      title: string;
      message: string;
      confirm: string;
      danger?: boolean;
      resolve: (ok: boolean) => void;
    };

export interface ToastAction {
  label: string;
  run(): void;
}

export interface Toast {
  id: number;
  level: 'info' | 'success' | 'warning' | 'error';
  message: string;
  /** Details under the message (the issues of a corrupt file). */
  details?: string[];
  /** A button beside the message (Export's "Open folder"); clicking it also dismisses the toast. */
  action?: ToastAction;
  /** A second button after it (Export's "Copy path" beside "Open folder"). */
  secondary?: ToastAction;
  /** The run the message is about: it goes when that run is deleted or another run starts. */
  runId?: string;
}

export type ToastOptions = Pick<Toast, 'details' | 'action' | 'secondary' | 'runId'>;

/** What a canvas pane lets the rest of the app do with its viewport. */
export interface PaneControls {
  fitView(): void;
  focusNode(id: string): void;
  /** Zooms so these nodes fill the view (at least readable size). */
  showNodes(ids: readonly string[]): void;
  /** The flow position at the centre of the visible area. */
  center(): { x: number; y: number };
  autoLayout(): Promise<void>;
}

/** A block opened over its pane (its inside): where the palette adds and what Delete deletes while it is open. */
export interface InsideControls {
  network: NetworkName;
  nodeId: string;
  /** The composite type whose definition is edited there; undefined for a built-in's read-only inside. */
  type?: string;
  /** Adds a block from the palette as a part (refused with a hint for a built-in's inside). */
  addPart(blockType: string): void;
  /** Deletes what is selected inside. */
  deleteSelected(): void;
}

export interface UiState {
  activeNetwork: NetworkName;
  view: ViewMode;
  rightTab: RightTab;
  dialog: Dialog | null;
  toasts: Toast[];
  nextToastId: number;
  connection: ConnectionStatus;
  host: HostInfo | null;
  showMinimap: boolean;
  /** Class-label connections drawn as a "label" pin on each node they feed, instead of as wires. */
  labelPins: boolean;
  /** Widths of the palette and inspector, and whether either is collapsed. */
  sidePanels: SidePanels;
  problemsOpen: boolean;
  clipboard: ClipboardContent | null;
  pastes: number;
  panes: Partial<Record<NetworkName, PaneControls>>;
  /** The block whose inside is open, if any. */
  inside: InsideControls | null;
  /** The folder the file dialog shows first (last used). */
  lastFolder: string | null;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(): UiStore {
  return createStore<UiState>()(() => ({
    activeNetwork: 'generator',
    view: 'both',
    rightTab: 'node',
    dialog: null,
    toasts: [],
    nextToastId: 1,
    connection: 'connecting',
    host: null,
    showMinimap: true,
    labelPins: false,
    sidePanels: defaultSidePanels(typeof window === 'undefined' ? 1600 : window.innerWidth),
    problemsOpen: true,
    clipboard: null,
    pastes: 0,
    panes: {},
    inside: null,
    lastFolder: null,
  }));
}

/** How long a toast stays: errors until dismissed; one with a button long enough to reach it. */
function lifetimeMs(toast: Toast): number | null {
  if (toast.level === 'error') return null;
  if (toast.action) return 10_000;
  return toast.level === 'warning' ? 8000 : 4000;
}

/** Shows a message in the corner; errors stay until dismissed, the rest fade after a few seconds. */
export function notify(ui: UiStore, level: Toast['level'], message: string, options: ToastOptions = {}): void {
  const { details, action, secondary, runId } = options;
  const id = ui.getState().nextToastId;
  const toast: Toast = {
    id,
    level,
    message,
    ...(details?.length ? { details } : {}),
    ...(action ? { action } : {}),
    ...(secondary ? { secondary } : {}),
    ...(runId ? { runId } : {}),
  };
  ui.setState((s) => ({ toasts: [...s.toasts.slice(-4), toast], nextToastId: id + 1 }));
  const lifetime = lifetimeMs(toast);
  if (lifetime !== null) setTimeout(() => dismissToast(ui, toast.id), lifetime);
}

export function dismissToast(ui: UiStore, id: number): void {
  ui.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/** Takes away the messages about a run (it was deleted, or a new run replaced it in the view). */
export function dismissRunToasts(ui: UiStore, runId: string): void {
  if (ui.getState().toasts.some((t) => t.runId === runId))
    ui.setState((s) => ({ toasts: s.toasts.filter((t) => t.runId !== runId) }));
}

/** Asks a yes/no question in a dialog. */
export function confirmDialog(
  ui: UiStore,
  opts: { title: string; message: string; confirm: string; danger?: boolean },
): Promise<boolean> {
  return new Promise((resolve) => {
    ui.setState({
      dialog: {
        kind: 'confirm',
        ...opts,
        resolve: (ok) => {
          ui.setState({ dialog: null });
          resolve(ok);
        },
      },
    });
  });
}
