import type { ApiTransport, EventMessage, RequestMessage, ResponseMessage } from '../../graph-schemas';
import { EventMessageSchema, ResponseMessageSchema, SLOW_METHODS } from '../../graph-schemas';

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

/** The part of the browser's WebSocket this transport uses (tests pass a stand-in). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export interface WebSocketTransportOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** A request without an answer for this long fails with "unavailable" (the host may be busy or gone). */
  requestTimeoutMs?: number;
  /** The same for the engine's slow requests (SLOW_METHODS: measuring, exporting, stopping). */
  slowRequestTimeoutMs?: number;
  /** Waits before each reconnection attempt; the last one repeats. */
  reconnectDelaysMs?: readonly number[];
}

const OPEN = 1;

/**
 * The browser's side of the local web server's API: JSON request/response/event messages over one
 * WebSocket at /api (the token travels in the HttpOnly cookie the server set when the page loaded).
 * Requests wait while the socket (re)connects; a lost connection fails the pending ones and reconnects.
 */
export class WebSocketTransport implements ApiTransport {
  private socket: SocketLike | undefined;
  private readonly pending = new Map<
    number,
    { resolve: (r: ResponseMessage) => void; timer: ReturnType<typeof setTimeout> }
  >();
  private readonly queue: string[] = [];
  private readonly eventListeners = new Set<(m: EventMessage) => void>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  status: ConnectionStatus = 'connecting';

  constructor(private readonly options: WebSocketTransportOptions) {}

  request(message: RequestMessage): Promise<ResponseMessage> {
    if (this.closed) return Promise.resolve(unavailable(message.id, 'The connection to SAGAN Studio was closed.'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.id);
        resolve(
          unavailable(
            message.id,
            `SAGAN Studio did not answer ${message.method} in time. Is \`sagan-studio serve\` still running?`,
          ),
        );
      }, this.timeoutFor(message.method));
      this.pending.set(message.id, { resolve, timer });
      const text = JSON.stringify(message);
      if (this.socket?.readyState === OPEN) this.socket.send(text);
      else {
        this.queue.push(text);
        this.ensureSocket();
      }
    });
  }

  private timeoutFor(method: string): number {
    return SLOW_METHODS.has(method)
      ? (this.options.slowRequestTimeoutMs ?? 300_000)
      : (this.options.requestTimeoutMs ?? 30_000);
  }

  onEvent(listener: (message: EventMessage) => void): () => void {
    this.eventListeners.add(listener);
    this.ensureSocket();
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'page closed');
    this.failPending('The connection to SAGAN Studio was closed.');
  }

  private ensureSocket(): void {
    if (this.socket || this.closed || this.reconnectTimer) return;
    const socket = (this.options.createSocket ?? ((url) => new WebSocket(url) as SocketLike))(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
      for (const text of this.queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => undefined; // onclose follows and handles it
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.failPending('Lost the connection to SAGAN Studio (the server stopped or restarted). Reconnecting…');
      if (this.closed) return;
      this.setStatus('reconnecting');
      const delays = this.options.reconnectDelaysMs ?? [250, 1000, 2000, 5000];
      const delay = delays[Math.min(this.attempt++, delays.length - 1)]!;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined;
        this.ensureSocket();
      }, delay);
    };
  }

  private receive(data: unknown): void {
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      return;
    }
    const response = ResponseMessageSchema.safeParse(raw);
    if (response.success) {
      const waiting = this.pending.get(response.data.id);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      this.pending.delete(response.data.id);
      waiting.resolve(response.data);
      return;
    }
    const event = EventMessageSchema.safeParse(raw);
    if (event.success) for (const listener of this.eventListeners) listener(event.data);
  }

  private failPending(message: string): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.resolve(unavailable(id, message));
    }
    this.pending.clear();
    this.queue.length = 0;
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

function unavailable(id: number, message: string): ResponseMessage {
  return { id, error: { code: 'unavailable', message } };
}

/** ws://host/api for the page's own origin. */
export function apiSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}
