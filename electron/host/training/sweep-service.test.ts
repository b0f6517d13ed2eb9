import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, SweepSummary } from '../../../graph-schemas';
import { dispatchRequest, findPreset } from '../../../graph-schemas';
import { createHostHandlers } from '../handlers';

/** The host's API as the UI calls it, on fresh folders. */
function setup() {
  const root = mkdtempSync(join(tmpdir(), 'sagan-sweeps-'));
  const docs = join(root, 'docs');
  mkdirSync(docs);
  const handlers = createHostHandlers({
    kind: 'web',
    appVersion: '1.2.3',
    stateDir: join(root, 'state'),
    documentsDir: docs,
    homeDir: join(root, 'home'),
  });
  let id = 0;
  const send = <M extends ApiMethod>(method: M, params: ApiParams<M>) =>
    dispatchRequest(handlers, JSON.parse(JSON.stringify({ id: ++id, method, params })));
  return { docs, send };
}

const start = (patch: Partial<ApiParams<'sweeps.start'>> = {}): ApiParams<'sweeps.start'> => ({
  doc: findPreset('sagan-mnist')!.build(),
  nodeId: 'g_attention',
  network: 'generator',
  moveIn: 'both',
  placements: ['feat8', 'feat16'],
  data: { kind: 'mnist' },
  steps: 2,
  batchSize: 2,
  samples: 50,
  ...patch,
});

describe('sweeps API', () => {
  it('refuses, before anything trains, a placement the networks do not have, a node that is not attention, bad input', async () => {
    const { send } = setup();
    const missing = await send('sweeps.start', start({ placements: ['feat8', 'feat64'] }));
    expect('error' in missing && missing.error).toMatchObject({ code: 'bad-request' });
    expect('error' in missing && missing.error.message).toMatch(/feat64: G has no 64×64 feature map for attention/);
    const notAttention = await send('sweeps.start', start({ nodeId: 'g_up1' }));
    expect('error' in notAttention && notAttention.error.message).toMatch(
      /g_up1 is not a SelfAttention node of the generator; select the attention node/,
    );
    const one = await send('sweeps.start', start({ placements: ['feat8'] }));
    expect('error' in one && one.error.code).toBe('bad-request');
    const odd = await send('sweeps.start', start({ placements: ['feat8', '16'] }));
    expect('error' in odd && odd.error.message).toMatch(/a placement is a feature-map size like "feat16"/);
    const twice = await send('sweeps.start', start({ placements: ['feat8', 'feat8'] }));
    expect('error' in twice && twice.error.message).toMatch(/named twice/);
    const list = await send('sweeps.list', {});
    expect('result' in list && list.result).toEqual([]);
  });

  it("lists a sweep folder's rows in the order it asked for, unfinished until every variant is measured", async () => {
    const { docs, send } = setup();
    const doc = findPreset('sagan-mnist')!.build();
    const dir = join(docs, 'sweeps', 'mnist-attention-20250102-030405-00ab');
    mkdirSync(dir, { recursive: true });
    const plan = { format: 'sagan-studio/sweep', version: 1, doc, placements: [32, 8, 16], network: 'both' };
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ ...plan, data: null, samples: 50 }));
    const row = (variant: string, fd: number) => ({
      variant,
      placement: `G: g_attention after x`,
      step: 2,
      samples: 50,
      ema: false,
      names: { fd: 'FD (digit classifier)', kid: 'KID (digit classifier)' },
      fd,
      kid: 0.1,
      kidStd: 0.01,
      accuracy: 0.1,
      itPerSec: 3,
      generatorParams: 1000,
      discriminatorParams: 2000,
    });
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ feat8: row('feat8', 80), feat32: row('feat32', 90) }));
    const res = await send('sweeps.list', {});
    if (!('result' in res)) throw new Error(res.error.message);
    const list = res.result as SweepSummary[];
    expect(list).toHaveLength(1);
    const s = list[0]!;
    expect(s).toMatchObject({
      id: 'mnist-attention-20250102-030405-00ab',
      status: 'stopped',
      placements: ['feat32', 'feat8', 'feat16'],
      message: '2 of 3 variants measured.',
      createdAt: '2025-01-02T03:04:05Z',
    });
    expect(s.rows.map((r) => r.variant)).toEqual(['feat32', 'feat8']);
    expect(s.markdown).toMatch(/\| feat8 \| G: g_attention after x \| \*\*80\.00\*\*/);
  });
});
