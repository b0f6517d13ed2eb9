import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostInfo, ResponseMessage, TrainingEstimate } from '../graph-schemas';
import { findPreset } from '../graph-schemas';
import type { FromEngine, ToEngine } from '../electron/main/engine-protocol';

/**
 * Starts a built engine bundle (dist/engine/engine-process.mjs, or the one inside a packaged app) in plain Node,
 * as Electron's utilityProcess would run it, and asks it for real work: host.info, and optionally a training
 * estimate, which runs one iteration of sagan-mnist in the bundled training worker on the tfjs wasm backend.
 * `process.parentPort` (Electron's) is stood in for by Node's IPC channel.
 */
export async function probeEngine(
  bundle: string,
  opts: { estimate?: boolean; timeoutMs?: number } = {},
): Promise<{ info: HostInfo; estimate: TrainingEstimate | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'sagan-engine-probe-'));
  const shim = join(dir, 'parent-port.mjs');
  writeFileSync(
    shim,
    "process.parentPort = { on(event, listener) { process.on('message', (data) => listener({ data, ports: [] })); return this; }, postMessage(m) { process.send(m); } };\n",
  );
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // a tsx loader from the caller must not help the bundle
  const child = fork(bundle, [], {
    execArgv: ['--import', pathToFileURL(shim).href],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env,
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const messages: FromEngine[] = [];
  let wake: (() => void) | null = null;
  child.on('message', (m) => {
    messages.push(m as FromEngine);
    wake?.();
  });
  child.on('exit', () => wake?.());
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  const next = async (): Promise<FromEngine> => {
    while (messages.length === 0) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`The engine bundle ${bundle} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`The engine bundle ${bundle} did not answer in time:\n${output}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
    return messages.shift()!;
  };
  const send = (m: ToEngine) => child.send(m);
  const result = async (id: number): Promise<unknown> => {
    const m = await next();
    if (m.type !== 'response') throw new Error(`Expected a response, got ${JSON.stringify(m)}\n${output}`);
    const response: ResponseMessage = m.message;
    if (response.id !== id) throw new Error(`Expected the response to ${id}, got ${JSON.stringify(response)}`);
    if ('error' in response) throw new Error(`${response.error.code}: ${response.error.message}\n${output}`);
    return response.result;
  };
  try {
    send({ type: 'init', config: { appVersion: '0.0.0-probe', stateDir: join(dir, 'state'), documentsDir: dir } });
    const ready = await next();
    if (ready.type !== 'ready') throw new Error(`The engine did not start: ${JSON.stringify(ready)}\n${output}`);
    send({ type: 'request', message: { id: 1, method: 'host.info', params: {} } });
    const info = (await result(1)) as HostInfo;
    let estimate: TrainingEstimate | null = null;
    if (opts.estimate) {
      const doc = findPreset('sagan-mnist')!.build();
      send({
        type: 'request',
        message: {
          id: 2,
          method: 'training.estimate',
          params: { doc, docPath: null, data: { kind: 'mnist' }, batchSize: 2 },
        },
      });
      estimate = (await result(2)) as TrainingEstimate;
    }
    send({ type: 'shutdown' });
    await next();
    return { info, estimate };
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
