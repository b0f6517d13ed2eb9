import { readFile } from 'node:fs/promises';
import type { AttentionMapWire, SampleGrid, TrainingEventWire } from '../../../graph-schemas';
import type { TrainEvent } from '../../engine/core/train/events';
import { encodePng } from '../../engine/node/png';
import type { AttentionResult } from '../../engine/node/run/protocol';

const finite = (v: number) => (Number.isFinite(v) ? v : 0);
/** 4 decimals are far below what a heatmap can show and keep the JSON small. */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** The grid as PNG: the file the engine wrote when there is one, else encoded from the event's pixels. */
async function gridPng(e: Extract<TrainEvent, { type: 'sample' }>): Promise<Uint8Array> {
  if (e.file) {
    const bytes = await readFile(e.file).catch(() => null);
    if (bytes) return bytes;
  }
  return encodePng({ width: e.width, height: e.height, rgba: e.rgba });
}

export function sampleGrid(
  step: number,
  png: Uint8Array,
  layout: { width: number; height: number; rows: number; cols: number; cellSize: number },
): SampleGrid {
  return { step, pngBase64: Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64'), ...layout };
}

export function attentionMapsToWire(maps: AttentionResult[]): AttentionMapWire[] {
  return maps.map((m) => ({
    nodeId: m.nodeId,
    network: m.network,
    keyHeight: m.keyHeight,
    keyWidth: m.keyWidth,
    queryHeight: m.queryHeight,
    queryWidth: m.queryWidth,
    samples: m.samples,
    queries: m.queries,
    data: Array.from(m.data, round4),
  }));
}

/** The engine's event in the API's shape: images as PNG, maps as plain arrays, no file paths of the host. */
export async function trainEventToWire(e: TrainEvent): Promise<TrainingEventWire> {
  switch (e.type) {
    case 'started':
      return {
        type: 'started',
        backend: e.backend,
        backendReason: e.backendReason,
        step: e.step,
        totalSteps: e.totalSteps,
        resumed: e.resumed,
      };
    case 'step':
      return {
        type: 'step',
        step: e.step,
        totalSteps: e.totalSteps,
        lossD: finite(e.lossD),
        lossDReal: finite(e.lossDReal),
        lossDFake: finite(e.lossDFake),
        lossG: finite(e.lossG),
        itPerSec: finite(e.itPerSec),
        etaSec: finite(e.etaSec),
        wallMs: e.wallMs,
        gammas: e.gammas.map((g) => ({ ...g, gamma: finite(g.gamma) })),
        ...(e.sigmas ? { sigmas: e.sigmas.map((s) => ({ ...s, sigma: finite(s.sigma) })) } : {}),
        ...(e.realScores ? { realScores: e.realScores.map(finite) } : {}),
        ...(e.fakeScores ? { fakeScores: e.fakeScores.map(finite) } : {}),
      };
    case 'sample':
      return { type: 'sample', grid: sampleGrid(e.step, await gridPng(e), e) };
    case 'attention':
      return {
        type: 'attention',
        answer: {
          step: e.step,
          points: e.points,
          samples: e.samples,
          maps: e.maps.map((m) => ({
            nodeId: m.nodeId,
            network: m.network,
            keyHeight: m.keyHeight,
            keyWidth: m.keyWidth,
            queryHeight: m.queryHeight,
            queryWidth: m.queryWidth,
            samples: m.samples,
            queries: m.queryCount,
            data: Array.from(m.maps, round4),
          })),
        },
      };
    case 'notice':
      return { type: 'notice', level: e.level, message: e.message };
    case 'quality': {
      const { type: _type, ...point } = e;
      return { type: 'quality', point };
    }
    case 'checkpoint':
      return { type: 'checkpoint', step: e.step };
    case 'paused':
    case 'resumed':
      return { type: e.type, step: e.step };
    case 'stopped':
      return {
        type: 'stopped',
        step: e.step,
        reason: e.reason,
        message: e.message,
        checkpointStep: checkpointStepOf(e.lastCheckpoint),
      };
  }
}

/** The step of a checkpoint path (`…/checkpoints/step-00000100`), or null. */
export function checkpointStepOf(path: string | null): number | null {
  const m = path ? /step-(\d+)$/.exec(path) : null;
  return m ? Number(m[1]) : null;
}
