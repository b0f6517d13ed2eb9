import { createStore } from 'zustand/vanilla';
import type { LatentSourceChoice } from '../../graph-schemas';

/** Which model the latent explorer shows (null: closed). Opened from a run's row, the watched run, or an export. */
export interface LatentOpenState {
  open: { source: LatentSourceChoice; title: string } | null;
}

export const latentOpenStore = createStore<LatentOpenState>()(() => ({ open: null }));

export function openLatentExplorer(source: LatentSourceChoice, title: string): void {
  latentOpenStore.setState({ open: { source, title } });
}

export function closeLatentExplorer(): void {
  latentOpenStore.setState({ open: null });
}
