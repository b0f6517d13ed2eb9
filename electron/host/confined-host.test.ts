import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams } from '../../graph-schemas';
import { dispatchRequest, findPreset } from '../../graph-schemas';
import { confinedTo } from './folder-access';
import { createHostHandlers } from './handlers';
import { nodeHostFs } from './host-fs';

// The probes against a running web host are in cli/commands/serve-folders.test.ts; these cover what needs a folder
// laid out differently: a runs folder that is a link elsewhere, and the same host without confinement (the desktop).
const root = realpathSync(mkdtempSync(join(tmpdir(), 'sagan-confined-')));
const docs = join(root, 'docs');
const away = join(root, 'away');
mkdirSync(docs);
mkdirSync(join(away, 'runs'), { recursive: true });
symlinkSync(join(away, 'runs'), join(docs, 'runs'));

function host(confined: boolean) {
  const handlers = createHostHandlers({
    kind: confined ? 'web' : 'desktop',
    appVersion: '1',
    stateDir: join(root, 'state'),
    documentsDir: docs,
    ...(confined ? { access: confinedTo([docs], nodeHostFs) } : {}),
  });
  let id = 0;
  return async <M extends ApiMethod>(method: M, params: ApiParams<M>) => {
    const res = await dispatchRequest(handlers, { id: ++id, method, params });
    return 'error' in res ? res.error : { result: res.result };
  };
}

const doc = findPreset('sagan-mnist')!.build();

describe('a confined host', () => {
  it('keeps no runs in a runs folder that leads elsewhere, and says where it leads', async () => {
    const call = host(true);
    const refusal = {
      code: 'permission',
      message: expect.stringContaining(`${join(docs, 'runs')} (it leads to ${join(away, 'runs')})`),
    };
    expect(await call('runs.list', {})).toMatchObject(refusal);
    expect(
      await call('training.start', { doc, docPath: null, data: { kind: 'mnist' }, backend: 'wasm' }),
    ).toMatchObject(refusal);
  });

  it('measures no run on data outside its folders', async () => {
    const call = host(true);
    expect(
      await call('training.estimate', { doc, docPath: null, data: { kind: 'folder', path: away }, backend: 'wasm' }),
    ).toMatchObject({ code: 'permission', message: expect.stringContaining(`Refused to read the dataset ${away}`) });
  });

  it('is a policy of the web host only: the same host unconfined (the desktop) uses any folder', async () => {
    const call = host(false);
    expect(await call('runs.list', {})).toEqual({ result: [] });
    expect(await call('files.list', { path: away })).toMatchObject({ result: { path: away } });
    expect(await call('host.info', {})).not.toHaveProperty('result.folders');
    expect(await host(true)('host.info', {})).toMatchObject({ result: { folders: [docs] } });
  });
});
