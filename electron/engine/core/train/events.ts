import type { NetworkName } from '../../../../graph-schemas';

/** What a training run streams to whoever watches it (CLI progress bar, the editor's live view). */
export type TrainEvent =
  | {
      type: 'started';
      runId: string;
      backend: string;
      backendReason: string;
      step: number;
      totalSteps: number;
      resumed: boolean;
    }
  | {
      type: 'step';
      step: number;
      totalSteps: number;
      lossD: number;
      lossDReal: number;
      lossDFake: number;
      lossG: number;
      itPerSec: number;
      etaSec: number;
      gammas: { nodeId: string; network: NetworkName; gamma: number }[];
      sigmas?: { nodeId: string; network: NetworkName; name: string; sigma: number }[];
      realScores?: number[];
      fakeScores?: number[];
    }
  | {
      type: 'sample';
      step: number;
      /** Grid image, RGBA, one row per class. */
      width: number;
      height: number;
      rgba: Uint8ClampedArray;
      rows: number;
      cols: number;
      cellSize: number;
      file?: string;
    }
  | { type: 'attention'; step: number; points: { x: number; y: number }[]; samples: number[]; maps: AttentionMaps[] }
  | { type: 'notice'; level: 'info' | 'warning'; message: string }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | {
      type: 'stopped';
      step: number;
      reason: 'finished' | 'stopped' | 'diverged' | 'error';
      message: string;
      lastCheckpoint: string | null;
    };

export interface AttentionMaps {
  nodeId: string;
  network: NetworkName;
  keyHeight: number;
  keyWidth: number;
  /** [sample][query] → softmax row over keyHeight·keyWidth keys. */
  maps: Float32Array;
  samples: number;
  queryCount: number;
}
