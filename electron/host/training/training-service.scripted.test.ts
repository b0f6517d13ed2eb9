import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ApiMethod, ApiParams, ApiResult, EventMessage, TrainingEventWire } from '../../../graph-schemas';
import { dispatchRequest } from '../../../graph-schemas';
import { tinyMnistDoc } from '../../engine/node/run/test-fixtures';
import { createHost } from '../handlers';
import { ScriptedEngine } from './scripted-engine';

/** A host whose engine the test scripts; called the way a page calls it, through dispatchRequest. */
function openHost(stopTimeoutMs = 5_000, now?: () => Date) {
  const root = mkdtempSync(join(tmpdir(), 'sagan-host-scripted-'));
  const engine = new ScriptedEngine();
  const events: EventMessage[] = [];
  const host = createHost({
    kind: 'web',
    appVersion: 'test',
    stateDir: join(root, 'state'),
    documentsDir: root,
    engine,
    stopTimeoutMs,
    ...(now ? { now } : {}),
    emit: (m) => events.push(m),
  });
  let id = 0;
  const call = async <M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const res = await dispatchRequest(host.handlers, { id: ++id, method, params });
    if ('error' in res) throw new Error(`${res.error.code}: ${res.error.message}`);
    return res.result as ApiResult<M>;
  };
  const runEvents = (runId: string) =>
    events
      .filter((m) => m.event === 'training.event' && (m.payload as { runId: string }).runId === runId)
      .map((m) => (m.payload as { event: TrainingEventWire }).event);
  const changes = (runId: string) =>
    events.filter((m) => m.event === 'runs.changed' && (m.payload as { runId: string }).runId === runId).length;
  const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
    const start = Date.now();
    while (!(await check())) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const start = () =>
    call('training.start', {
      doc: tinyMnistDoc(),
      docPath: join(root, 'tiny.sagan.json'),
      data: { kind: 'mnist' },
      backend: 'wasm',
    });
  const listed = async (runId: string) => (await call('runs.list', {})).find((r) => r.id === runId);
  return { root, engine, host, call, runEvents, changes, until, start, listed };
}

/** Another real process that claims a run folder (as a CLI training it would) until killed. */
async function otherTrainer(dir: string): Promise<ChildProcess> {
  const lockModule = join(import.meta.dirname, '../../engine/node/run/run-lock.ts');
  const script = `import { claimRunFolder } from ${JSON.stringify(lockModule)};
    claimRunFolder(${JSON.stringify(dir)}, true);
    console.log('claimed');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('claimed') && resolve());
    child.once('exit', (code) => reject(new Error(`the other trainer exited with ${code}`)));
  });
  return child;
}

describe('host training service on a scripted engine', () => {
  it('a newer estimate cancels the one in flight, and so does starting a run', async () => {
    const { engine, call, start } = openHost();
    const estimate = () =>
      call('training.estimate', { doc: tinyMnistDoc(), data: { kind: 'mnist' }, backend: 'wasm', docPath: null });
    const first = estimate().catch((e: Error) => e);
    await vi.waitFor(() => expect(engine.estimates).toHaveLength(1));
    const second = estimate().catch((e: Error) => e);
    await vi.waitFor(() => expect(engine.estimates).toHaveLength(2));
    expect(String(await first)).toMatch(/^Error: conflict: A newer estimate replaced this one/);
    expect(engine.estimates[0]!.signal?.aborted).toBe(true);
    expect(engine.estimates[1]!.signal?.aborted).toBe(false);
    await start();
    expect(engine.estimates[1]!.signal?.aborted).toBe(true);
    expect(String(await second)).toMatch(/conflict/);
  });

  it('an engine crash mid-run: the run stops as an error, keeps its checkpoint, ends its thread and resumes', async () => {
    const { engine, call, runEvents, until, start, listed, changes } = openHost();
    const run = await start();
    const scripted = engine.runs[0]!;
    await scripted.begin();
    scripted.steps(5);
    await scripted.checkpoint();
    scripted.steps(2);
    scripted.stop('error', 'The training thread ended unexpectedly (exit code 134) before the run stopped.');
    await until(() => changes(run.id) >= 2, 'the list to change');
    expect(await listed(run.id)).toMatchObject({
      status: 'error',
      step: 7,
      checkpointStep: 5,
      message: 'The training thread ended unexpectedly (exit code 134) before the run stopped.',
    });
    expect(runEvents(run.id).at(-1)).toMatchObject({ type: 'stopped', reason: 'error', checkpointStep: 5 });
    expect(scripted.terminated).toBe(true);
    expect(JSON.parse(readFileSync(join(run.dir, 'status.json'), 'utf8'))).toMatchObject({ status: 'error' });
    await expect(call('training.pause', { runId: run.id })).rejects.toThrow(/conflict: .*not training now/);

    const resumed = await call('training.resume', { runId: run.id, backend: 'wasm' });
    expect(resumed.status).toBe('running');
    expect(engine.runs[1]!.job).toMatchObject({ runId: run.id, resume: true, runDir: run.dir });
  });

  it('a refusal before the run began (a batch that does not fit): the message reaches the UI, no run is left', async () => {
    const { engine, runEvents, until, start, listed, call } = openHost();
    const run = await start();
    expect(run).toMatchObject({ status: 'running', message: 'Starting…' });
    const refusal = 'Tiny MNIST at batch 4096 needs about 9 GiB for one iteration; the largest batch that fits is 512.';
    engine.runs[0]!.stop('error', refusal, null);
    await until(async () => (await listed(run.id)) === undefined, 'the refused run to leave the list');
    expect(runEvents(run.id)).toEqual([
      { type: 'stopped', step: 0, reason: 'error', message: refusal, checkpointStep: null },
    ]);
    expect(existsSync(run.dir)).toBe(false);
    expect(await call('runs.list', {})).toEqual([]);
  });

  it('divergence: the run is shown diverged with its message and the last good checkpoint to resume from', async () => {
    const { engine, runEvents, until, start, listed, changes } = openHost();
    const run = await start();
    const scripted = engine.runs[0]!;
    await scripted.begin();
    scripted.steps(3);
    await scripted.checkpoint();
    scripted.steps(1, { lossD: Number.NaN, lossG: 2e5 });
    const message = `Training diverged at step 4: a loss became NaN or infinite. The last good checkpoint is ${join(run.dir, 'checkpoints', 'step-00000003')}; resume from it with a lower learning rate.`;
    scripted.stop('diverged', message);
    await until(() => changes(run.id) >= 2, 'the run to end');
    expect(await listed(run.id)).toMatchObject({ status: 'diverged', step: 4, checkpointStep: 3, message });
    const steps = runEvents(run.id).filter((e) => e.type === 'step');
    expect(steps.at(-1)).toMatchObject({ step: 4, lossD: 0, lossG: 2e5 }); // NaN cannot cross as JSON
    expect(runEvents(run.id).at(-1)).toMatchObject({ type: 'stopped', reason: 'diverged', checkpointStep: 3 });
  });

  it('an engine that cannot take the job: training.start fails with the reason and leaves no phantom run', async () => {
    const { engine, call, start, host } = openHost();
    engine.startFailure = new Error('The training job could not be handed to its thread: Maximum call stack size');
    await expect(start()).rejects.toThrow(
      /^internal: Could not start training Tiny MNIST test model: The training job could not be handed to its thread/,
    );
    expect(await call('runs.list', {})).toEqual([]);
    await host.shutdown(); // nothing to wait for
  });

  it('an engine that stops answering: stop ends its thread after the timeout, and shutdown never hangs', async () => {
    const { engine, call, runEvents, start, host, listed } = openHost(200);
    const run = await start();
    const scripted = engine.runs[0]!;
    scripted.obeysStop = false;
    await scripted.begin();
    scripted.steps(2);
    await scripted.checkpoint();
    const stopped = await call('training.stop', { runId: run.id });
    expect(scripted.commands).toEqual(['stop']);
    expect(scripted.terminated).toBe(true);
    expect(stopped).toMatchObject({
      status: 'error',
      checkpointStep: 2,
      message: expect.stringMatching(/did not stop within 0.2 s of being asked.*Resume it from its last checkpoint/),
    });
    expect(runEvents(run.id).at(-1)).toMatchObject({ type: 'stopped', reason: 'error' });
    await expect(call('runs.delete', { runId: run.id })).resolves.toEqual({ deleted: true });

    // Closing the app with a run that never answers: shutdown returns after the timeout, the thread ended.
    const second = await start();
    engine.runs[1]!.obeysStop = false;
    await engine.runs[1]!.begin();
    const began = Date.now();
    await host.shutdown();
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(engine.runs[1]!.terminated).toBe(true);
    expect(await listed(second.id)).toMatchObject({ status: 'error' });
  });

  it('a run another process trains (a CLI) can be neither resumed nor deleted; once that process is gone it can', async () => {
    const { engine, call, start, until, changes } = openHost();
    const run = await start();
    const scripted = engine.runs[0]!;
    await scripted.begin();
    await scripted.checkpoint();
    scripted.stop('stopped', 'Stopped at step 0; resume to continue.');
    await until(() => changes(run.id) >= 2, 'the run to stop');
    const cli = await otherTrainer(run.dir);
    try {
      const busy = new RegExp(`^conflict: ${run.dir} is being trained by another process \\(pid ${cli.pid} on `);
      await expect(call('training.resume', { runId: run.id, backend: 'wasm' })).rejects.toThrow(busy);
      await expect(call('runs.delete', { runId: run.id })).rejects.toThrow(
        new RegExp(
          `^conflict: Run ${run.id} is being trained \\(pid ${cli.pid} on .*\\); stop it before deleting it\\.`,
        ),
      );
      expect(engine.runs).toHaveLength(1);
    } finally {
      cli.kill('SIGKILL');
      await new Promise((r) => cli.once('exit', r));
    }
    expect(await call('training.resume', { runId: run.id, backend: 'wasm' })).toMatchObject({ status: 'running' });
    expect(engine.runs[1]!.job).toMatchObject({ resume: true });
  });

  it("refuses to start a run in a folder that already holds one (the app's side of train --out)", async () => {
    const { engine, start, until, changes } = openHost(5_000, () => new Date('2026-01-01T00:00:00Z'));
    vi.spyOn(Math, 'random').mockReturnValue(0); // with the clock fixed, every start picks the same run id
    try {
      const run = await start();
      await engine.runs[0]!.begin();
      engine.runs[0]!.stop('finished', 'Finished 0 steps.');
      await until(() => changes(run.id) >= 2, 'the first run to end');
      const before = readFileSync(join(run.dir, 'run.json'), 'utf8');
      await expect(start()).rejects.toThrow(
        `conflict: ${run.dir} already holds a run; a new one there would overwrite it.`,
      );
      expect(readFileSync(join(run.dir, 'run.json'), 'utf8')).toBe(before);
      expect(engine.runs).toHaveLength(1);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('pause, continue and the sampling interval reach the engine; commands to a stopped run are refused', async () => {
    const { engine, call, until, start, runEvents } = openHost();
    const run = await start();
    const scripted = engine.runs[0]!;
    await scripted.begin();
    expect(await call('training.pause', { runId: run.id })).toMatchObject({ status: 'paused' });
    await call('training.continue', { runId: run.id });
    await call('training.setSampleEvery', { runId: run.id, every: 7 });
    scripted.notice('warning', '3 of 21 images could not be read and are skipped.');
    expect(await call('training.stop', { runId: run.id })).toMatchObject({ status: 'stopped', checkpointStep: 0 });
    expect(scripted.commands).toEqual(['pause', 'resume', 'sample-every 7', 'stop']);
    await until(() => runEvents(run.id).some((e) => e.type === 'notice'), 'the notice');
    expect(runEvents(run.id).find((e) => e.type === 'notice')).toEqual({
      type: 'notice',
      level: 'warning',
      message: '3 of 21 images could not be read and are skipped.',
    });
    await expect(call('training.setSampleEvery', { runId: run.id, every: 3 })).rejects.toThrow(/conflict/);
  });
});
