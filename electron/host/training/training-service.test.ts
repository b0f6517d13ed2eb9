import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResult, EventMessage, TrainingEventWire } from '../../../graph-schemas';
import { dispatchRequest } from '../../../graph-schemas';
import { encodePng } from '../../engine/node/png';
import { tinyMnistDoc } from '../../engine/node/run/test-fixtures';
import { createHost } from '../handlers';

const root = mkdtempSync(join(tmpdir(), 'sagan-host-training-'));

/** A host on the real worker-thread engine, called the way a page calls it: through dispatchRequest. */
function openHost() {
  const events: EventMessage[] = [];
  const host = createHost({
    kind: 'web',
    appVersion: 'test',
    stateDir: join(root, 'state'),
    documentsDir: root,
    emit: (m) => events.push(m),
  });
  let id = 0;
  const call = async <M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const res = await dispatchRequest(host.handlers, { id: ++id, method, params });
    if ('error' in res) throw new Error(`${res.error.code}: ${res.error.message}`);
    return res.result as ApiResult<M>;
  };
  const trainingEvents = (runId: string) =>
    events
      .filter((m) => m.event === 'training.event' && (m.payload as { runId: string }).runId === runId)
      .map((m) => (m.payload as { event: TrainingEventWire }).event);
  const until = async (check: () => boolean, what: string, ms = 120_000) => {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { host, call, events, trainingEvents, until };
}

const docPath = join(root, 'tiny.sagan.json');
const options = (overrides: Record<string, unknown> = {}) => ({
  doc: tinyMnistDoc({ steps: 400, sampleEvery: 3, checkpointEvery: 1000 }),
  docPath,
  data: { kind: 'mnist' as const },
  backend: 'wasm' as const,
  batchSize: 4,
  ...overrides,
});

describe('training through the host API', () => {
  it('estimates, trains, streams, answers attention, pauses, stops, lists, exports, resumes and deletes', async () => {
    const { host, call, trainingEvents, events, until } = openHost();
    const estimate = await call('training.estimate', options());
    expect(estimate).toMatchObject({ backend: 'wasm', batchSize: 4, fits: true });
    expect(estimate.perSampleBytes).toBeGreaterThan(0);
    expect(estimate.message).toMatch(/One iteration at batch 4/);

    const run = await call('training.start', options());
    expect(run).toMatchObject({ status: 'running', docPath, name: 'Tiny MNIST test model' });
    const runEvents = () => trainingEvents(run.id);
    await until(() => runEvents().some((e) => e.type === 'sample'), 'a sample grid');
    const sample = runEvents().find((e) => e.type === 'sample')!;
    if (sample.type !== 'sample') throw new Error('unreachable');
    expect(Buffer.from(sample.grid.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(sample.grid).toMatchObject({ rows: 10, cols: 8, cellSize: 32 });
    expect(runEvents().find((e) => e.type === 'started')).toMatchObject({ backend: 'wasm' });
    expect(runEvents().find((e) => e.type === 'step')).toMatchObject({
      gammas: [{ nodeId: 'g_attention' }, { nodeId: 'd_attention' }],
      wallMs: expect.any(Number),
    });

    await call('training.pause', { runId: run.id });
    await until(() => runEvents().some((e) => e.type === 'paused'), 'the pause');
    const answer = await call('training.attention', {
      runId: run.id,
      points: [
        { x: 0.5, y: 0.5 },
        { x: 0.2, y: 0.8 },
      ],
      samples: [8],
    });
    expect(answer.maps.map((m) => `${m.network}:${m.nodeId}`).sort()).toEqual([
      'discriminator:d_attention',
      'generator:g_attention',
    ]);
    for (const m of answer.maps) {
      expect(m.data).toHaveLength(1 * 2 * m.keyHeight * m.keyWidth);
      // The node's own query grid comes with the map (keys are that grid, or half of it where keys are pooled).
      expect(m.queryHeight! / m.keyHeight).toBeOneOf([1, 2]);
      expect(m.queryWidth! / m.keyWidth).toBeOneOf([1, 2]);
      const row = m.data.slice(0, m.keyHeight * m.keyWidth);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2); // a softmax row over the keys
    }
    // A grid scrubbed back while the run trains: from the checkpoint nearest at or before its step (here the one
    // written at the start), not the live model.
    const early = await call('training.attention', {
      runId: run.id,
      points: [{ x: 0.5, y: 0.5 }],
      samples: [8],
      step: 3,
    });
    expect(early).toMatchObject({ step: 0, from: 'checkpoint' });
    expect(answer).toMatchObject({ from: 'live' });
    expect((await call('runs.list', { docPath }))[0]).toMatchObject({ id: run.id, status: 'paused' });
    await call('training.continue', { runId: run.id });
    await until(() => runEvents().some((e) => e.type === 'resumed'), 'the resume');

    const stopped = await call('training.stop', { runId: run.id });
    expect(stopped.status).toBe('stopped');
    expect(stopped.checkpointStep).toBe(stopped.step);
    expect(runEvents().at(-1)).toMatchObject({ type: 'stopped', reason: 'stopped', checkpointStep: stopped.step });
    expect(events.some((m) => m.event === 'runs.changed')).toBe(true);

    const detail = await call('runs.get', { runId: run.id });
    expect(detail.attentionNodes).toEqual([
      { nodeId: 'g_attention', network: 'generator' },
      { nodeId: 'd_attention', network: 'discriminator' },
    ]);
    expect(detail.sampleSteps.length).toBeGreaterThan(0);
    expect(detail.dataset).toMatchObject({ source: { kind: 'mnist' }, images: 10_000, skipped: { count: 0 } });
    const metrics = await call('runs.metrics', { runId: run.id, maxPoints: 5000 });
    expect(metrics.step).toHaveLength(stopped.step);
    expect(metrics.gammas.map((g) => g.nodeId)).toEqual(['g_attention', 'd_attention']);
    // Each logged step has its wall-clock time (the charts' time axis), and the run its class names (row labels).
    expect(metrics.wallMs!.every((t) => typeof t === 'number' && t > Date.UTC(2020, 0))).toBe(true);
    expect(detail.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const first = await call('runs.sample', { runId: run.id, step: detail.sampleSteps[0] });
    expect(first).toMatchObject({ step: detail.sampleSteps[0], rows: 10, cols: 8, cellSize: 32 });
    await expect(call('runs.sample', { runId: run.id, step: 99_999 })).rejects.toThrow(
      /not-found: .*no sample grid at step 99999/,
    );

    // A stopped run still answers, from its newest checkpoint and the grid's own noise.
    const fromCheckpoint = await call('training.attention', {
      runId: run.id,
      points: [{ x: 0.5, y: 0.5 }],
      samples: [8],
    });
    expect(fromCheckpoint.step).toBe(stopped.step);
    expect(fromCheckpoint.from).toBe('checkpoint');
    // For a grid scrubbed back: the checkpoint at its step, else the nearest before it (0 and the stop's are kept).
    const ask = (step: number) =>
      call('training.attention', { runId: run.id, points: [{ x: 0.5, y: 0.5 }], samples: [8], step });
    expect(await ask(stopped.step)).toMatchObject({ step: stopped.step, from: 'checkpoint' });
    const scrubbed = await ask(stopped.step - 1);
    expect(scrubbed).toMatchObject({ step: 0, from: 'checkpoint' });
    expect(scrubbed.maps[0]!.data).not.toEqual(fromCheckpoint.maps[0]!.data);
    expect(fromCheckpoint.maps.map((m) => m.nodeId).sort()).toEqual(['d_attention', 'g_attention']);
    await expect(
      call('training.attention', { runId: run.id, points: [{ x: 0.5, y: 0.5 }], samples: [99] }),
    ).rejects.toThrow(/bad-request: The sample grid has 80 cells; there is no cell 99/);

    const out = join(root, 'exported');
    const exported = await call('runs.export', { runId: run.id, outDir: out });
    expect(exported.files).toEqual(expect.arrayContaining(['README.md', 'export.json', 'generator', 'samples.png']));
    expect(JSON.parse(readFileSync(join(out, 'export.json'), 'utf8'))).toMatchObject({ step: stopped.step });
    const torch = await call('runs.export', { runId: run.id, outDir: join(root, 'torch'), format: 'pytorch' });
    expect(torch.files).toEqual(expect.arrayContaining(['model.py', 'train.py', 'init.json', 'init.bin']));
    expect(JSON.parse(readFileSync(join(root, 'torch', 'sagan-pytorch.json'), 'utf8'))).toMatchObject({
      init: { run: run.id, step: stopped.step },
    });
    writeFileSync(join(root, 'holiday.txt'), 'mine');
    await expect(call('runs.export', { runId: run.id, outDir: root })).rejects.toThrow(/already holds other files/);
    await expect(call('runs.export', { runId: run.id, outDir: root, format: 'pytorch' })).rejects.toThrow(
      /bad-request: Export of run .* failed/,
    );
    expect(existsSync(join(root, 'holiday.txt'))).toBe(true);

    const resumed = await call('training.resume', { runId: run.id, backend: 'wasm' });
    expect(resumed.status).toBe('running');
    await until(() => runEvents().filter((e) => e.type === 'started').length === 2, 'the resumed start');
    expect(
      runEvents()
        .filter((e) => e.type === 'started')
        .at(-1),
    ).toMatchObject({ resumed: true, step: stopped.step });
    await expect(call('runs.delete', { runId: run.id })).rejects.toThrow(/conflict: .*still training/);

    // Closing the app mid-run: shutdown checkpoints; a new host (the app reopened) shows it stopped and resumable.
    await host.shutdown();
    const reopened = openHost();
    const [listed] = await reopened.call('runs.list', { docPath });
    expect(listed).toMatchObject({ id: run.id, status: 'stopped' });
    expect(listed!.checkpointStep).toBe(listed!.step);
    expect(await reopened.call('runs.delete', { runId: run.id })).toEqual({ deleted: true });
    expect(await reopened.call('runs.list', {})).toEqual([]);
  }, 300_000);

  it('shows a run whose process died mid-training as stopped, resumable from its checkpoint', async () => {
    const { call, until, trainingEvents, host } = openHost();
    const run = await call(
      'training.start',
      options({ doc: tinyMnistDoc({ steps: 400, sampleEvery: 1000, checkpointEvery: 2 }) }),
    );
    await until(() => trainingEvents(run.id).some((e) => e.type === 'checkpoint' && e.step >= 2), 'a checkpoint');
    const statusFile = join(run.dir, 'status.json');
    expect(JSON.parse(readFileSync(statusFile, 'utf8'))).toMatchObject({ status: 'running' });
    await host.shutdown();
    // As a crash leaves it: the status file still says running, no process trains it.
    writeFileSync(statusFile, JSON.stringify({ ...JSON.parse(readFileSync(statusFile, 'utf8')), status: 'running' }));
    const [listed] = await openHost().call('runs.list', { docPath });
    expect(listed).toMatchObject({
      status: 'stopped',
      message: expect.stringMatching(/^Interrupted; resume from step \d+\.$/),
    });
  }, 120_000);

  it("refuses a dataset folder with the engine's message and leaves no run folder behind", async () => {
    const { call, until, trainingEvents } = openHost();
    const missing = join(root, 'no-such-folder');
    const run = await call('training.start', options({ data: { kind: 'folder', path: missing } }));
    await until(() => trainingEvents(run.id).some((e) => e.type === 'stopped'), 'the refusal');
    expect(trainingEvents(run.id).at(-1)).toMatchObject({
      type: 'stopped',
      reason: 'error',
      message: expect.stringContaining(missing),
    });
    let listed = [run.id];
    await until(() => {
      void call('runs.list', {}).then((runs) => (listed = runs.map((r) => r.id)));
      return !listed.includes(run.id);
    }, 'the refused run to leave the list');
    expect(existsSync(run.dir)).toBe(false);
  }, 120_000);

  it('checks the data for the Train dialog: what it holds, which files cannot be read and why', async () => {
    const { call } = openHost();
    const data = join(root, 'digits');
    for (let label = 0; label < 10; label++) {
      mkdirSync(join(data, String(label)), { recursive: true });
      for (let i = 0; i < 2; i++) {
        const rgba = new Uint8ClampedArray(32 * 32 * 4).fill(label * 20 + i);
        writeFileSync(join(data, String(label), `${i}.png`), encodePng({ width: 32, height: 32, rgba }));
      }
    }
    for (let i = 0; i < 3; i++) writeFileSync(join(data, String(i), `broken${i}.jpg`), 'not a JPEG');
    const doc = tinyMnistDoc();
    const check = await call('training.checkData', { doc, data: { kind: 'folder', path: data } });
    expect(check).toMatchObject({ source: { kind: 'folder', path: data }, images: 20, classes: 10 });
    expect(check.skipped.count).toBe(3);
    expect(check.skipped.examples).toContainEqual({
      file: join(data, '0', 'broken0.jpg'),
      reason: 'not a PNG or JPEG image (unrecognised content)',
    });
    for (let label = 0; label < 10; label++)
      for (let i = 0; i < 2; i++) writeFileSync(join(data, String(label), `${i}.png`), 'damaged');
    await expect(call('training.checkData', { doc, data: { kind: 'folder', path: data } })).rejects.toThrow(
      /^bad-request: None of the 23 images in .*digits could be read/,
    );
  }, 120_000);

  it('checks what the page sends before anything runs', async () => {
    const { call } = openHost();
    await expect(call('training.start', options({ doc: { format: 'nonsense' } }))).rejects.toThrow(
      /bad-request: The graph cannot be trained/,
    );
    await expect(call('runs.get', { runId: '../etc' })).rejects.toThrow(/bad-request/);
    await expect(call('training.pause', { runId: 'not-running' })).rejects.toThrow(
      /conflict: Run not-running is not training now/,
    );
    await expect(
      call('training.attention', { runId: 'no-such-run', points: [{ x: 0, y: 0 }], samples: [0] }),
    ).rejects.toThrow(/not-found: There is no run "no-such-run"/);
    await expect(call('dialogs.openFile', {})).rejects.toThrow(/unavailable: .*desktop feature/);
  });
});
