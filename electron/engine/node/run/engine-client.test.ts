import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultSampleGrid } from '../../core/model/sample-grid';
import type { TrainEvent } from '../../core/train/events';
import { seededRandom } from '../../core/train/random';
import { selectBackend } from '../backend';
import { CancelledError, estimateTraining, startTraining } from './engine-client';
import { createRunFolder } from './run-folder';
import { runSession, SessionControl } from './session';
import { tinyMnistDoc } from './test-fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'sagan-client-'));

describe('training in a worker thread', () => {
  it('streams typed events and obeys pause, resume, sampling interval, attention queries and stop', async () => {
    const events: TrainEvent[] = [];
    let resolveStep!: () => void;
    const reachedStep2 = new Promise<void>((r) => (resolveStep = r));
    const handle = startTraining(
      {
        doc: tinyMnistDoc({ steps: 400, sampleEvery: 1000, checkpointEvery: 1000 }),
        runDir: join(tmp, 'live'),
        runId: 'live',
        resume: false,
        backend: 'wasm',
        threads: 1,
      },
      (e) => {
        events.push(e);
        if (e.type === 'step' && e.step === 2) resolveStep();
      },
    );
    await reachedStep2;
    handle.pause();
    const maps = await handle.attention(
      [
        { x: 0.5, y: 0.5 },
        { x: 0.1, y: 0.9 },
      ],
      [0, 8],
    );
    expect(maps.maps.map((m) => `${m.network}:${m.nodeId}`).sort()).toEqual([
      'discriminator:d_attention',
      'generator:g_attention',
    ]);
    const g = maps.maps.find((m) => m.network === 'generator')!;
    expect(g.data.length).toBe(2 * 2 * g.keyHeight * g.keyWidth); // 2 samples × 2 queries × keys
    handle.setSampleEvery(1);
    handle.resume();
    await new Promise<void>((r) => {
      const wait = setInterval(() => {
        if (events.some((e) => e.type === 'sample')) {
          clearInterval(wait);
          r();
        }
      }, 50);
    });
    handle.stop();
    const stopped = await handle.done;
    await handle.terminate();
    expect(stopped).toMatchObject({ type: 'stopped', reason: 'stopped' });
    expect(stopped.lastCheckpoint).toMatch(/step-\d{8}$/);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['started', 'step', 'paused', 'resumed', 'sample', 'attention', 'checkpoint', 'stopped'])
      expect(types.has(t as TrainEvent['type']), t).toBe(true);
    const step = events.find((e) => e.type === 'step')!;
    expect(step).toMatchObject({
      gammas: [{ nodeId: 'g_attention' }, { nodeId: 'd_attention' }],
      sigmas: expect.arrayContaining([expect.objectContaining({ name: 'g_linear' })]),
    });
  }, 240_000);

  it('reports a bad graph as a stop with a reason, not a crash', async () => {
    const doc = tinyMnistDoc();
    doc.generator.edges = doc.generator.edges.filter((e) => e.target !== 'g_out');
    const handle = startTraining(
      { doc, runDir: join(tmp, 'bad'), runId: 'bad', resume: false, backend: 'wasm', threads: 1 },
      () => {},
    );
    const stopped = await handle.done;
    await handle.terminate();
    expect(stopped).toMatchObject({
      reason: 'error',
      message: expect.stringMatching(/needs a feature map on its "in" input/),
    });
  }, 60_000);
});

describe('a run that cannot start', () => {
  it('ends its thread and the run with a clear message when the job cannot be handed over', () => {
    // A real process: if the thread leaked, it would keep the process alive and spawnSync would time out.
    const script = join(tmp, 'unstartable.ts');
    writeFileSync(
      script,
      `import { startTraining } from ${JSON.stringify(join(import.meta.dirname, 'engine-client.ts'))};
       let deep: Record<string, unknown> = {};
       for (let i = 0; i < 100_000; i++) deep = { inner: deep };
       try {
         startTraining({ doc: deep, runDir: ${JSON.stringify(join(tmp, 'deep'))}, runId: 'deep', resume: false, backend: 'wasm' }, () => {});
         console.log('started?');
       } catch (e) {
         console.log('refused: ' + (e as Error).message);
       }`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal, 'the process must exit by itself').toBeNull();
    expect(child.stdout.trim()).toMatch(/^refused: The training job could not be handed to its thread: .*call stack/);
    expect(child.status).toBe(0);
    expect(existsSync(join(tmp, 'deep'))).toBe(false); // the folder claimed for it is gone again
  });
});

describe('divergence', () => {
  beforeAll(async () => {
    await selectBackend({ requested: 'wasm', threads: 1 });
  });

  it('stops the run when a loss explodes, naming the step and the last good checkpoint', async () => {
    const doc = tinyMnistDoc({ steps: 10, checkpointEvery: 2 });
    const dir = join(tmp, 'nan');
    await createRunFolder(dir, {
      format: 'sagan-studio/run',
      version: 1,
      id: 'nan',
      createdAt: '',
      doc,
      seed: 0,
      backend: { name: 'wasm', reason: '', threads: 1 },
      versions: {},
      dataset: { name: 'x', size: 1 },
      sampleGrid: defaultSampleGrid(doc),
    });
    let calls = 0;
    const data = {
      next: (b: number) => ({
        images: new Float32Array(b * 1024).fill(++calls > 3 ? -1e9 : 0.5),
        labels: new Int32Array(b),
        shape: [b, 32, 32, 1] as [number, number, number, number],
      }),
      getState: () => ({}),
      setState: () => {},
    };
    const events: TrainEvent[] = [];
    const stopped = await runSession(
      {
        doc,
        runDir: dir,
        runId: 'nan',
        backend: { name: 'wasm', reason: '' },
        data,
        rng: seededRandom(1),
        sampleGrid: defaultSampleGrid(doc),
        resume: false,
        saveSample: async () => ({ file: '', width: 1, height: 1, rgba: new Uint8ClampedArray(4) }),
      },
      new SessionControl(100),
      (e) => events.push(e),
    );
    // The poisoned batches start at step 4; D's scores blow up within a few steps.
    expect(stopped.reason).toBe('diverged');
    expect(stopped.step).toBeGreaterThanOrEqual(4);
    expect(stopped.message).toMatch(
      new RegExp(
        `Training diverged at step ${stopped.step}: a loss (reached [\\d.e+]+|became NaN or infinite)\\. The last good checkpoint is .*step-\\d{8}`,
      ),
    );
    expect(Number(/step-(\d{8})/.exec(stopped.lastCheckpoint!)![1])).toBeLessThan(stopped.step);
  });
});

describe('a measurement no longer wanted', () => {
  it('ends its thread when aborted, before it answers, and rejects as cancelled', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const controller = new AbortController();
    const measuring = estimateTraining({ doc: tinyMnistDoc(), backend: 'wasm', threads: 1 }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(measuring).rejects.toBeInstanceOf(CancelledError);
    expect(terminate).toHaveBeenCalledTimes(1);
    expect(await terminate.mock.results[0]!.value).toBeTypeOf('number'); // the thread's exit code: it has ended
    expect(Date.now() - started).toBeLessThan(5_000);
    terminate.mockRestore();
  });

  it('an already aborted signal starts no thread', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      estimateTraining({ doc: tinyMnistDoc(), backend: 'wasm', threads: 1 }, controller.signal),
    ).rejects.toThrow('The measuring was cancelled.');
  });
});
