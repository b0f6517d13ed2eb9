import type { EventMessage, RequestMessage, ResponseMessage } from '../../graph-schemas/api/rpc';
import { desktopIpc } from '../../graph-schemas/api/desktop-ipc';

/**
 * `window.saganHost`: the page's only way to its host. Requests go to the main process, which validates them;
 * events arrive from the main process (menu commands) and over a MessagePort straight from the engine process
 * (training progress, samples). Nothing of ipcRenderer itself reaches the page.
 */
export interface HostBridge {
  request(message: RequestMessage): Promise<ResponseMessage>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

/** The parts of ipcRenderer the bridge uses (tests pass a fake). */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: { ports: readonly MessagePort[] }, ...args: unknown[]) => void): unknown;
}

export function createHostBridge(ipc: IpcLike, report: (line: string) => void = () => {}): HostBridge {
  const listeners = new Set<(message: EventMessage) => void>();
  const deliver = (message: unknown) => {
    for (const listener of listeners) {
      try {
        listener(message as EventMessage);
      } catch (e) {
        report(`A host event listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  ipc.on(desktopIpc.event, (_event, message) => deliver(message));
  let enginePort: MessagePort | null = null;
  ipc.on(desktopIpc.enginePort, (event) => {
    // A new engine process (after a crash) comes with a new port; the old one is dead.
    enginePort?.close();
    enginePort = event.ports[0] ?? null;
    if (enginePort) enginePort.onmessage = (e: MessageEvent) => deliver(e.data);
  });
  ipc.send(desktopIpc.connect);

  return {
    // Only the three wire fields cross to main, whatever else the page put on the object.
    request: (message) =>
      ipc.invoke(desktopIpc.request, {
        id: message.id,
        method: message.method,
        params: message.params,
      }) as Promise<ResponseMessage>,
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
