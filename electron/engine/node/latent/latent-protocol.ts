import type { LatentView } from '../../core/latent/latent-views';
import type { LatentModelInfo, LatentSource } from './latent-explorer';

/** What the latent explorer's thread is asked; plain data, so it crosses the thread boundary as is. */
export type LatentJob =
  | { op: 'describe'; source: LatentSource }
  | { op: 'render'; source: LatentSource; view: LatentView; scale: number }
  | { op: 'save'; source: LatentSource; view: LatentView; scale: number; path: string };

/** A drawn view without its pixels: the layout the UI needs to tell which cell is which. */
export interface LatentLayout {
  width: number;
  height: number;
  rows: number;
  cols: number;
  cellSize: number;
  padding: number;
  rowClasses: number[];
}

export type LatentAnswer =
  | { op: 'describe'; model: LatentModelInfo }
  | { op: 'render'; model: LatentModelInfo; layout: LatentLayout; png: Uint8Array }
  | { op: 'save'; model: LatentModelInfo; path: string; bytes: number };

/** not-found: no such run, export or checkpoint; bad-request: a view the model cannot draw; internal: anything else. */
export type LatentFailureCode = 'not-found' | 'bad-request' | 'internal';

export type ToLatentWorker = { type: 'latent'; requestId: number; job: LatentJob };
export type FromLatentWorker =
  | { type: 'latent-result'; requestId: number; answer: LatentAnswer }
  | { type: 'latent-error'; requestId: number; code: LatentFailureCode; message: string };
