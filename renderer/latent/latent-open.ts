import { createStore } from 'zustand/vanilla';
import type { LatentSourceChoice } from '../../graph-schemas';

/** Which model the latent explorer shows (null: closed). Opened from a run's row, the watched run, or an export. */
export interface LatentOpenState {
  open: { source: LatentSourceChoice; title: string } | null;
  /** The in-app folder picker for an export folder is up (a browser, or a desktop without its native dialog). */
  pickingExport: boolean;
}

export const latentOpenStore = createStore<LatentOpenState>()(() => ({ open: null, pickingExport: false }));

export function openLatentExplorer(source: LatentSourceChoice, title: string): void {
  latentOpenStore.setState({ open: { source, title }, pickingExport: false });
}

export function closeLatentExplorer(): void {
  latentOpenStore.setState({ open: null });
}

/** The last part of a folder path, to title the explorer with. */
export const folderName = (path: string) =>
  path
    .replace(/[\\/]+$/, '')
    .split(/[\\/]/)
    .pop() || path;
