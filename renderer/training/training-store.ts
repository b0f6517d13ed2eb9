import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { AttentionAnswer, RunSummary } from '../../graph-schemas';
import type { RunView } from './run-state';

export type DockTab = 'live' | 'runs' | 'compare';
export type Point = { x: number; y: number };

/** Query pixels the user picked on one sample of the watched run, and the engine's answer. */
export interface ExplorerState {
  runId: string | null;
  /** Cell of the sample grid (row-major). */
  sample: number;
  points: Point[];
  answer: AttentionAnswer | null;
  pending: boolean;
  error: string | null;
}

/** A message with an optional button (Export's "Show"), shown by the training view. */
export interface ActionToast {
  id: number;
  level: 'success' | 'error' | 'info';
  message: string;
  action?: { label: string; run(): void };
}

export interface TrainingState {
  runs: Record<string, RunView>;
  /** The run the live view shows. */
  watched: string | null;
  list: RunSummary[];
  listScope: 'document' | 'all';
  listError: string | null;
  listLoaded: boolean;
  dockOpen: boolean;
  dockMaximized: boolean;
  tab: DockTab;
  dialog: null | { kind: 'train' } | { kind: 'export'; runId: string };
  compare: { a: string | null; b: string | null };
  explorer: ExplorerState;
  /** A request in flight per run (the buttons show it and stay disabled). */
  busy: Record<string, 'starting' | 'pausing' | 'continuing' | 'stopping' | 'resuming' | 'exporting' | undefined>;
  toasts: ActionToast[];
}

export type TrainingStore = StoreApi<TrainingState>;

export const emptyExplorer: ExplorerState = {
  runId: null,
  sample: 0,
  points: [],
  answer: null,
  pending: false,
  error: null,
};

export function createTrainingStore(): TrainingStore {
  return createStore<TrainingState>()(() => ({
    runs: {},
    watched: null,
    list: [],
    listScope: 'document',
    listError: null,
    listLoaded: false,
    dockOpen: false,
    dockMaximized: false,
    tab: 'live',
    dialog: null,
    compare: { a: null, b: null },
    explorer: emptyExplorer,
    busy: {},
    toasts: [],
  }));
}

/** Up to 8 query points, each in its own colour (as in the paper's figures). */
export const QUERY_COLORS = ['#ff4d4f', '#36cfc9', '#ffd666', '#9254de', '#73d13d', '#ff85c0', '#40a9ff', '#ffa940'];
export const MAX_QUERY_POINTS = 8;
