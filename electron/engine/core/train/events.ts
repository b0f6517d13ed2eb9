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
      /** Wall-clock time the step finished, in ms since the Unix epoch (the charts' time axis; pauses count). */
      wallMs: number;
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
  | ({ type: 'quality'; step: number } & QualityMeasurement)
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
  /** The node's feature map, the grid the query pixels fall in. */
  queryHeight: number;
  queryWidth: number;
  /** [sample][query] → softmax row over keyHeight·keyWidth keys. */
  maps: Float32Array;
  samples: number;
  queryCount: number;
}

/** One measurement of sample quality during training (also a line of metrics.jsonl, under `quality`). */
export interface QualityMeasurement {
  /** Feature network id, e.g. digit-classifier-v1 or pt_inception-2015-12-05. */
  network: string;
  /** What the UI and tables call FD and KID from that network ("FD (digit classifier)", "FID"). */
  names: { fd: string; kid: string };
  samples: number;
  fd: number;
  kid: number;
  kidStd: number;
  /** Generated images of class c the classifier labels c; null without a classifier or classes. */
  accuracy: number | null;
  /** Inception-Score-style score from the classifier's softmax; null without a classifier. */
  score: number | null;
  /** Whether G drew with its EMA weights. */
  ema: boolean;
  /** How long the measurement took, and how long training ran since the previous one (or the start). */
  seconds: number;
  trainSeconds: number;
}
