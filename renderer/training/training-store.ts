import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { AttentionAnswer, NetworkName, RunSummary } from '../../graph-schemas';
import type { RunView } from './run-state';

export type DockTab = 'live' | 'runs' | 'compare';
export type Point = { x: number; y: number };

/** Query pixels the user picked on one sample of the watched run, and the engine's answer. */
export interface ExplorerState {
  runId: string | null;
  /** Cell of the sample grid (row-major). */
  sample: number;
  points: Point[];
  /** The sample grid's step to explain (scrubbed back to it): maps from its checkpoint; null: the newest grid. */
  step: number | null;
  answer: AttentionAnswer | null;
  /** The grid step `answer` was asked for (`step` when it was asked); null: the newest. */
  answerFor: number | null;
  pending: boolean;
  error: string | null;
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
  dialog:
    | null
    | { kind: 'train' }
    | { kind: 'export'; runId: string }
    | { kind: 'sweep'; network: NetworkName; nodeId: string };
  compare: { a: string | null; b: string | null };
  explorer: ExplorerState;
  /** A request in flight per run (the buttons show it and stay disabled). */
  busy: Record<string, BusyWith | undefined>;
}

export type BusyWith = 'starting' | 'pausing' | 'continuing' | 'stopping' | 'resuming' | 'exporting';

export type TrainingStore = StoreApi<TrainingState>;

/** Puts one run's view into the store. */
export function setRun(store: TrainingStore, run: RunView): void {
  store.setState((s) => ({ runs: { ...s.runs, [run.runId]: run } }));
}

/** Marks a request in flight for a run (undefined: none). */
export function setBusy(store: TrainingStore, runId: string, what: BusyWith | undefined): void {
  store.setState((s) => ({ busy: { ...s.busy, [runId]: what } }));
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const emptyExplorer: ExplorerState = {
  runId: null,
  sample: 0,
  points: [],
  step: null,
  answer: null,
  answerFor: null,
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
  }));
}

/** Up to 8 query points, each in its own colour (as in the paper's figures). */
export const QUERY_COLORS = ['#ff4d4f', '#36cfc9', '#ffd666', '#9254de', '#73d13d', '#ff85c0', '#40a9ff', '#ffa940'];
export const MAX_QUERY_POINTS = 8;
