import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResult } from '../../graph-schemas';
import { dispatchRequest } from '../../graph-schemas';
import { tinyMnistDoc } from '../engine/node/run/test-fixtures';
import { decodePng } from '../engine/node/png';
import { confinedTo } from './folder-access';
import { createHost } from './handlers';
import type { Host } from './handlers';
import { nodeHostFs } from './host-fs';

// The latent explorer through the API as the UI calls it: params checked with zod, the run found by id and checked
// against the host's folders, the drawing done in the engine's latent worker thread.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'sagan-latent-host-')));
const docs = join(root, 'docs');
const cli = join(import.meta.dirname, '../../bin/sagan-studio.js');
let host: Host;

beforeAll(() => {
  mkdirSync(join(docs, 'runs'), { recursive: true });
  const docFile = join(root, 'tiny.sagan.json');
  writeFileSync(docFile, JSON.stringify(tinyMnistDoc({ steps: 2, checkpointEvery: 2 })));
  execFileSync(
    process.execPath,
    [cli, 'train', docFile, '--out', join(docs, 'runs', 'tiny'), '--backend', 'wasm', '--threads', '1'],
    { encoding: 'utf8' },
  );
  host = createHost({
    kind: 'web',
    appVersion: '1',
    stateDir: join(root, 'state'),
    documentsDir: docs,
    access: confinedTo([docs], nodeHostFs),
  });
}, 240_000);
afterAll(() => host.shutdown());

let id = 0;
async function call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
  const res = await dispatchRequest(host.handlers, { id: ++id, method, params });
  if ('error' in res) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return res.result as ApiResult<M>;
}
async function fail<M extends ApiMethod>(method: M, params: unknown) {
  const res = await dispatchRequest(host.handlers, { id: ++id, method, params });
  if (!('error' in res)) throw new Error(`${method} should have failed`);
  return res.error;
}

const source = { kind: 'run', runId: 'tiny' } as const;

describe('latent.* on the host', () => {
  it('describes a run and draws its grid as a PNG with the layout', async () => {
    const model = await call('latent.describe', { source });
    expect(model).toMatchObject({ kind: 'run', step: 2, steps: [0, 2], classes: 10, zDim: 8 });
    const grid = await call('latent.render', { source, view: { kind: 'grid', seed: 1, cols: 3, truncation: 1.5 } });
    expect(grid).toMatchObject({ rows: 10, cols: 3, cellSize: 32, padding: 2, scale: 1, width: 3 * 32 + 4 * 2 });
    const png = decodePng(Buffer.from(grid.pngBase64, 'base64'));
    expect([png.width, png.height]).toEqual([grid.width, grid.height]);
    const older = await call('latent.render', {
      source: { ...source, step: 0 },
      view: { kind: 'grid', seed: 1, cols: 3, truncation: 1.5 },
    });
    expect(older.model.step).toBe(0);
    expect(older.pngBase64).not.toBe(grid.pngBase64);
  });

  it('saves a strip inside the host folders, and refuses a path outside them', async () => {
    const view = {
      kind: 'strip',
      from: { seed: 1, column: 0 },
      to: { seed: 2, column: 0 },
      classIndex: 3,
      frames: 5,
      mode: 'spherical',
      truncation: null,
    } as const;
    const saved = await call('latent.save', { source, view, path: 'strip.png', scale: 2 });
    expect(saved.path).toBe(join(docs, 'strip.png'));
    expect(decodePng(readFileSync(saved.path)).width).toBe((5 * 32 + 6 * 2) * 2);
    expect(await fail('latent.save', { source, view, path: join(root, 'elsewhere.png') })).toMatchObject({
      code: 'permission',
    });
  });

  it('refuses bad input with messages that say what to change', async () => {
    const image = (classIndex: number) => ({
      kind: 'image',
      noise: { seed: 0, column: 0 },
      classIndex,
      truncation: null,
    });
    expect(await fail('latent.render', { source, view: image(10) })).toEqual({
      code: 'bad-request',
      message: 'Class 10 is out of range: Tiny MNIST test model has 10 classes (0–9).',
    });
    expect(await fail('latent.render', { source: { ...source, step: 1 }, view: image(0) })).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no checkpoint at step 1; it keeps steps 0, 2/),
    });
    expect(await fail('latent.describe', { source: { kind: 'run', runId: 'nope' } })).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/There is no run "nope"/),
    });
    expect(
      await fail('latent.render', { source, view: { kind: 'grid', seed: 0, cols: 3, truncation: 0 } }),
    ).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/view.truncation/) });
    expect(await fail('latent.describe', { source: { kind: 'export', dir: join(root, 'elsewhere') } })).toMatchObject({
      code: 'permission',
    });
  });
});
