import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { defaultSampleGrid } from '../../core/model/sample-grid';
import type { TrainEvent } from '../../core/train/events';
import { seededRandom } from '../../core/train/random';
import { selectBackend } from '../backend';
import { runSession, SessionControl } from './session';
import { tinyMnistDoc } from './test-fixtures';

it('a device lost mid-run (driver reset, out of GPU memory) stops it with its last checkpoint and one clear message', async () => {
  await selectBackend({ requested: 'wasm', threads: 1 });
  const doc = tinyMnistDoc({ steps: 6, checkpointEvery: 2, sampleEvery: 100, batchSize: 2 });
  const runDir = mkdtempSync(join(tmpdir(), 'sagan-device-lost-'));
  const rng = seededRandom(3);
  const events: TrainEvent[] = [];
  const steps = () => events.filter((e) => e.type === 'step').length;
  const stopped = await runSession(
    {
      doc,
      runDir,
      runId: 'lost',
      backend: { name: 'webgpu', reason: 'test' },
      data: {
        next: (b) => ({
          images: rng.normal(b * 32 * 32).map(Math.tanh),
          labels: rng.ints(b, 10),
          shape: [b, 32, 32, 1],
        }),
        getState: () => null,
        setState: () => {},
      },
      rng: seededRandom(1),
      sampleGrid: defaultSampleGrid(doc),
      resume: false,
      saveSample: () => Promise.reject(new Error('no sample is due before step 6')),
      // What webgpu.ts reports once Dawn's device.lost resolves; here after the third step.
      deviceLost: () =>
        steps() >= 3 ? 'The GPU device was lost (test): the driver reset or the GPU ran out of memory.' : null,
    },
    new SessionControl(100),
    (e) => events.push(e),
  );
  expect(stopped).toMatchObject({ reason: 'error', step: 3 });
  expect(stopped.lastCheckpoint).toMatch(/step-00000002$/);
  expect(stopped.message).toBe(
    `The GPU device was lost (test): the driver reset or the GPU ran out of memory. Training stopped at step 3: its last checkpoint is ${stopped.lastCheckpoint}; resume from it once the GPU is back (a smaller batch needs less GPU memory).`,
  );
  expect(readdirSync(join(runDir, 'checkpoints')).filter((f) => f.endsWith('.state.json'))).toEqual([
    'step-00000000.state.json',
    'step-00000002.state.json',
  ]);
});
