import type { ApiTransport, EventMessage, RequestMessage, ResponseMessage } from '../../graph-schemas';
import { EventMessageSchema, ResponseMessageSchema } from '../../graph-schemas';
import type { ConnectionStatus } from './web-transport';

/** While the engine cannot answer, the page asks again this often (the shell restarts it after a pause). */
const RETRY_MS = 3_000;

/**
 * What the Electron preload exposes as `window.saganHost` (contextBridge.exposeInMainWorld): the same
 * wire messages as the web server's WebSocket, carried over IPC. Nothing else of Electron reaches the page.
 */
export interface SaganHostBridge {
  /** Sends one request to the main process and resolves with its response (never rejects for API errors). */
  request(message: RequestMessage): Promise<ResponseMessage>;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (message: EventMessage) => void): () => void;
}

declare global {
  interface Window {
    saganHost?: SaganHostBridge;
  }
}

/**
 * The desktop shell's transport; it still checks every message, since the page trusts nothing it did not make.
 * Its status is the engine's: "connecting" until it first answers (it is starting), "reconnecting" while it
 * answers "unavailable" (it crashed or could not start; the page asks again every few seconds), then "open".
 */
export function preloadTransport(
  bridge: SaganHostBridge,
  onStatus: (status: ConnectionStatus) => void = () => undefined,
): ApiTransport {
  let status: ConnectionStatus = 'connecting';
  let retry: ReturnType<typeof setTimeout> | undefined;
  const setStatus = (next: ConnectionStatus) => {
    if (next !== status) onStatus((status = next));
  };
  const heard = (response: ResponseMessage) => {
    if (!('error' in response) || response.error.code !== 'unavailable') {
      clearTimeout(retry);
      retry = undefined;
      return setStatus('open');
    }
    setStatus('reconnecting');
    retry ??= setTimeout(() => {
      retry = undefined;
      void transport.request({ id: 0, method: 'host.info', params: {} });
    }, RETRY_MS);
  };
  onStatus(status);
  const transport: ApiTransport = {
    async request(message) {
      const response = await ask(bridge, message);
      heard(response);
      return response;
    },
    onEvent(listener) {
      return bridge.onEvent((raw) => {
        const event = EventMessageSchema.safeParse(raw);
        if (event.success) listener(event.data);
      });
    },
  };
  return transport;
}

/** One request over the bridge; a malformed answer or a failing bridge becomes an error response. */
async function ask(bridge: SaganHostBridge, message: RequestMessage): Promise<ResponseMessage> {
  try {
    const response = ResponseMessageSchema.safeParse(await bridge.request(message));
    if (response.success) return response.data;
    return {
      id: message.id,
      error: { code: 'internal', message: `The desktop host sent a malformed answer to ${message.method}.` },
    };
  } catch (e) {
    return {
      id: message.id,
      error: {
        code: 'unavailable',
        message: `The desktop host did not answer ${message.method}: ${e instanceof Error ? e.message : String(e)}`,
      },
    };
  }
}
