import type {
  ApiTransport,
  EventMessage,
  RequestMessage,
  ResponseMessage,
  RunSummary,
  SampleGrid,
  TrainingEventWire,
} from '../../graph-schemas';
import { createApiClient } from '../../graph-schemas';
import { createUiStore } from '../app/ui-store';
import { Training } from './training';

type Handler = (params: Record<string, unknown>) => unknown;

/** A scripted host: answers API requests from handlers, pushes events on demand, records what was asked. */
export function scriptedHost(handlers: Record<string, Handler> = {}) {
  const listeners = new Set<(m: EventMessage) => void>();
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const flushes: (() => void)[] = [];
  const transport: ApiTransport = {
    async request(m: RequestMessage): Promise<ResponseMessage> {
      const params = (m.params ?? {}) as Record<string, unknown>;
      calls.push({ method: m.method, params });
      const handler = handlers[m.method];
      if (!handler) return { id: m.id, error: { code: 'unavailable', message: `${m.method} is not scripted.` } };
      try {
        return { id: m.id, result: await handler(params) };
      } catch (e) {
        return { id: m.id, error: { code: 'conflict', message: (e as Error).message } };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const api = createApiClient(transport);
  const ui = createUiStore();
  let docPath: string | null = '/docs/mnist.sagan.json';
  const training = new Training({ api, ui, docPath: () => docPath, schedule: (flush) => flushes.push(flush) });
  return {
    api,
    ui,
    training,
    calls,
    /** The messages shown (the app's toasts), oldest first. */
    notices: () => ui.getState().toasts.map((t) => ({ level: t.level, message: t.message })),
    setDocPath(path: string | null) {
      docPath = path;
    },
    emit(runId: string, event: TrainingEventWire) {
      for (const l of listeners) l({ event: 'training.event', payload: { runId, event } });
    },
    emitRaw(message: EventMessage) {
      for (const l of listeners) l(message);
    },
    /** Runs the scheduled flushes (one frame). */
    frame() {
      flushes.splice(0).forEach((f) => f());
    },
    pendingFrames: () => flushes.length,
    /** Answers the confirm dialog that is open now (the real one of the UI store). */
    answerConfirm(ok: boolean) {
      const dialog = ui.getState().dialog;
      if (dialog?.kind !== 'confirm') throw new Error(`No confirm dialog is open (${dialog?.kind ?? 'none'}).`);
      dialog.resolve(ok);
    },
  };
}

export function summary(id: string, patch: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: 'SAGAN-MNIST',
    docPath: '/docs/mnist.sagan.json',
    status: 'running',
    step: 0,
    totalSteps: 100,
    backend: 'wasm',
    createdAt: '2026-11-26T10:00:00.000Z',
    lastLosses: null,
    checkpointStep: null,
    message: '',
    dir: `/runs/${id}`,
    ...patch,
  };
}

export function stepEvent(
  step: number,
  patch: Partial<Extract<TrainingEventWire, { type: 'step' }>> = {},
): TrainingEventWire {
  return {
    type: 'step',
    step,
    totalSteps: 100,
    lossD: 2 + step,
    lossDReal: 1 + step,
    lossDFake: 1,
    lossG: -step,
    itPerSec: 4,
    etaSec: (100 - step) / 4,
    gammas: [
      { nodeId: 'g_attention', network: 'generator', gamma: step / 1000 },
      { nodeId: 'd_attention', network: 'discriminator', gamma: -step / 2000 },
    ],
    ...patch,
  };
}

export function grid(step: number): SampleGrid {
  return { step, pngBase64: `png-of-${step}`, width: 274, height: 342, rows: 10, cols: 8, cellSize: 32 };
}
