import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMessage, RequestMessage } from '../../graph-schemas';
import { ApiError, createApiClient, desktopIpc, dispatchRequest, eventMessage } from '../../graph-schemas';
import type { SaganHostBridge } from '../../renderer/api/preload-transport';
import { preloadTransport } from '../../renderer/api/preload-transport';
import { createHostHandlers } from '../host/handlers';
import { createDesktopHandlers } from '../main/desktop-handlers';
import { createRequestRouter } from '../main/request-router';
import type { IpcLike } from './host-bridge';
import { createHostBridge } from './host-bridge';

type IpcListener = (event: { ports: readonly MessagePort[] }, ...args: unknown[]) => void;

/** ipcRenderer faked: what the preload sends and invokes, and a way for the "main process" to push to it. */
function fakeIpc(invoke: (channel: string, message: unknown) => Promise<unknown> = async () => undefined) {
  const listeners = new Map<string, IpcListener>();
  const sent: string[] = [];
  const invoked: { channel: string; message: unknown }[] = [];
  const ipc: IpcLike = {
    invoke: async (channel, message) => {
      invoked.push({ channel, message });
      return invoke(channel, message);
    },
    send: (channel) => void sent.push(channel),
    on: (channel, listener) => listeners.set(channel, listener),
  };
  const push = (channel: string, ports: MessagePort[], ...args: unknown[]) =>
    listeners.get(channel)!({ ports }, ...args);
  return { ipc, sent, invoked, push };
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 20));
const openPorts: MessagePort[] = [];
afterEach(() => openPorts.splice(0).forEach((p) => p.close()));
function channel() {
  const c = new MessageChannel();
  openPorts.push(c.port1, c.port2);
  return c;
}

describe('preload bridge', () => {
  it('is exactly the SaganHostBridge the renderer expects, and asks main for an engine port as soon as it loads', () => {
    const { ipc, sent } = fakeIpc();
    const bridge: SaganHostBridge = createHostBridge(ipc);
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'request']);
    expect(sent).toEqual([desktopIpc.connect]);
  });

  it('sends only the three wire fields of a request to main and returns its answer', async () => {
    const { ipc, invoked } = fakeIpc(async (_channel, message) => ({
      id: (message as RequestMessage).id,
      result: 'ok',
    }));
    const bridge = createHostBridge(ipc);
    const sneaky = { id: 3, method: 'host.info', params: {}, toString: () => 'x', extra: 'no' } as RequestMessage;
    expect(await bridge.request(sneaky)).toEqual({ id: 3, result: 'ok' });
    expect(invoked).toEqual([{ channel: desktopIpc.request, message: { id: 3, method: 'host.info', params: {} } }]);
  });

  it("delivers main's events and the engine port's events; a new port replaces the old; unsubscribe works", async () => {
    const { ipc, push } = fakeIpc();
    const bridge = createHostBridge(ipc);
    const got: EventMessage[] = [];
    const off = bridge.onEvent((m) => void got.push(m));
    const command = eventMessage('app.command', { command: 'save' });
    push(desktopIpc.event, [], command);
    const first = channel();
    push(desktopIpc.enginePort, [first.port2]);
    first.port1.postMessage(eventMessage('runs.changed', { runId: 'a' }));
    await nextTurn();
    const second = channel();
    push(desktopIpc.enginePort, [second.port2]);
    first.port1.postMessage(eventMessage('runs.changed', { runId: 'old port' }));
    second.port1.postMessage(eventMessage('runs.changed', { runId: 'b' }));
    await nextTurn();
    expect(got).toEqual([
      command,
      { event: 'runs.changed', payload: { runId: 'a' } },
      { event: 'runs.changed', payload: { runId: 'b' } },
    ]);
    off();
    push(desktopIpc.event, [], command);
    expect(got).toHaveLength(3);
  });

  it('one failing listener does not keep events from the others', () => {
    const { ipc, push } = fakeIpc();
    const reports: string[] = [];
    const bridge = createHostBridge(ipc, (l) => void reports.push(l));
    const got: EventMessage[] = [];
    bridge.onEvent(() => {
      throw new Error('boom');
    });
    bridge.onEvent((m) => void got.push(m));
    push(desktopIpc.event, [], eventMessage('host.notice', { level: 'info', message: 'hi' }));
    expect(got).toHaveLength(1);
    expect(reports).toEqual(['A host event listener failed: boom']);
  });
});

describe('the whole desktop path: renderer client → preload → main (validation) → engine host', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sagan-preload-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers the typed API, with main handling dialogs and the engine the rest, and errors as ApiError', async () => {
    const host = createHostHandlers({
      kind: 'desktop',
      appVersion: 't',
      stateDir: join(dir, 'state'),
      documentsDir: dir,
    });
    const engine = { request: (m: RequestMessage) => dispatchRequest(host, m) };
    const route = createRequestRouter(
      createDesktopHandlers({
        dialog: {
          showOpenDialog: async () => ({ canceled: false, filePaths: [join(dir, 'picked.sagan.json')] }),
          showSaveDialog: async () => ({ canceled: true, filePath: '' }),
        },
        shell: { showItemInFolder: () => undefined },
        window: () => null,
        onDocumentState: () => undefined,
        documentsDir: () => dir,
      }),
      engine,
    );
    const { ipc } = fakeIpc((_channel, message) => route(message));
    const api = createApiClient(preloadTransport(createHostBridge(ipc)));
    expect(await api.host.info()).toMatchObject({ kind: 'desktop', documentsDir: dir });
    expect(await api.dialogs.openFile()).toEqual({ path: join(dir, 'picked.sagan.json') });
    const written = await api.files.write({ path: 'picked.sagan.json', text: '{}\n' });
    expect(written.path).toBe(join(dir, 'picked.sagan.json'));
    await expect(api.files.read({ path: 'missing.sagan.json' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(api.files.read({ path: '' })).rejects.toBeInstanceOf(ApiError);
  });
});
