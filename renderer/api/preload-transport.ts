import type { ApiTransport, EventMessage, RequestMessage, ResponseMessage } from '../../graph-schemas';
import { EventMessageSchema, ResponseMessageSchema } from '../../graph-schemas';

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

/** The desktop shell's transport; it still checks every message, since the page trusts nothing it did not make. */
export function preloadTransport(bridge: SaganHostBridge): ApiTransport {
  return {
    async request(message) {
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
    },
    onEvent(listener) {
      return bridge.onEvent((raw) => {
        const event = EventMessageSchema.safeParse(raw);
        if (event.success) listener(event.data);
      });
    },
  };
}
