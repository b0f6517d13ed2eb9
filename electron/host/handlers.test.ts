import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiMethod, ApiParams, ApiResult } from '../../graph-schemas';
import { dispatchRequest, loadGraph, presets } from '../../graph-schemas';
import type { HostFs } from './host-fs';
import { createHostHandlers } from './handlers';

/** A fresh documents folder and state folder, and a way to call methods the way the UI does (through dispatchRequest). */
function setup(fs?: Partial<HostFs>) {
  const root = mkdtempSync(join(tmpdir(), 'sagan-host-'));
  const docs = join(root, 'docs');
  const state = join(root, 'state');
  mkdirSync(docs);
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const handlers = createHostHandlers({
    kind: 'web',
    appVersion: '1.2.3',
    stateDir: state,
    documentsDir: docs,
    homeDir: join(root, 'home'),
    fs,
    now: () => new Date((clock += 1000)),
  });
  let id = 0;
  const call = async <M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> => {
    const res = await dispatchRequest(handlers, JSON.parse(JSON.stringify({ id: ++id, method, params })));
    if ('error' in res) throw Object.assign(new Error(res.error.message), { code: res.error.code });
    return res.result as ApiResult<M>;
  };
  const fail = async <M extends ApiMethod>(method: M, params: ApiParams<M>) => {
    const res = await dispatchRequest(handlers, { id: ++id, method, params });
    if (!('error' in res)) throw new Error(`${method} should have failed`);
    return res.error;
  };
  return { root, docs, state, call, fail };
}

const isRoot = process.getuid?.() === 0;

describe('host.info and presets', () => {
  it('describes the host', async () => {
    const { call, docs, root } = setup();
    expect(await call('host.info', {})).toEqual({
      kind: 'web',
      appVersion: '1.2.3',
      platform: process.platform,
      documentsDir: docs,
      homeDir: join(root, 'home'),
      pathSeparator: '/',
    });
  });

  it('lists every preset and returns documents that load', async () => {
    const { call, fail } = setup();
    const list = await call('presets.list', {});
    expect(list.map((p) => p.name)).toEqual(presets.map((p) => p.name));
    expect(list[0]).toEqual({ name: 'sagan-32', title: 'SAGAN-32', group: 'SAGAN', summary: presets[0]!.summary });
    const doc = await call('presets.get', { name: 'sagan-mnist' });
    const loaded = loadGraph(doc);
    expect(loaded.ok && loaded.value.doc.generator.nodes.some((n) => n.type === 'SelfAttention')).toBe(true);
    expect(await fail('presets.get', { name: 'nope' })).toEqual({
      code: 'not-found',
      message: expect.stringMatching(/^Unknown preset "nope"\. Presets: sagan-32, /),
    });
  });
});

describe('files.list', () => {
  it('lists folders first, then files, by name, hiding dotfiles', async () => {
    const { call, docs } = setup();
    mkdirSync(join(docs, 'b-runs'));
    mkdirSync(join(docs, 'A-data'));
    mkdirSync(join(docs, '.git'));
    writeFileSync(join(docs, 'graph10.sagan.json'), '{}');
    writeFileSync(join(docs, 'graph9.sagan.json'), '{"a":1}');
    writeFileSync(join(docs, 'Notes.txt'), 'x');
    writeFileSync(join(docs, '.hidden'), 'x');
    symlinkSync(join(docs, 'gone'), join(docs, 'broken-link'));
    const listing = await call('files.list', { path: docs });
    expect(listing.path).toBe(docs);
    expect(listing.parent).toBe(join(docs, '..').replace(/\/$/, ''));
    expect(listing.entries.map((e) => `${e.kind}:${e.name}`)).toEqual([
      'dir:A-data',
      'dir:b-runs',
      'file:graph9.sagan.json',
      'file:graph10.sagan.json',
      'file:Notes.txt',
    ]);
    const nine = listing.entries.find((e) => e.name === 'graph9.sagan.json')!;
    expect(nine).toEqual({
      name: 'graph9.sagan.json',
      path: join(docs, 'graph9.sagan.json'),
      kind: 'file',
      size: 7,
      mtimeMs: statSync(join(docs, 'graph9.sagan.json')).mtimeMs,
    });
  });

  it('resolves relative paths against the documents folder, normalised', async () => {
    const { call, docs } = setup();
    mkdirSync(join(docs, 'sub'));
    writeFileSync(join(docs, 'sub', 'x.json'), '1');
    expect((await call('files.list', { path: 'sub/../sub/./' })).path).toBe(join(docs, 'sub'));
    expect((await call('files.list', { path: '.' })).entries.map((e) => e.name)).toEqual(['sub']);
    expect((await call('files.list', { path: '/' })).parent).toBeNull();
  });

  it('refuses a missing folder, a file and a NUL byte with the path in the message', async () => {
    const { fail, docs } = setup();
    writeFileSync(join(docs, 'f.txt'), 'x');
    expect(await fail('files.list', { path: 'missing' })).toEqual({
      code: 'not-found',
      message: `${join(docs, 'missing')} does not exist.`,
    });
    expect(await fail('files.list', { path: 'f.txt' })).toEqual({
      code: 'bad-request',
      message: `${join(docs, 'f.txt')} is a file, not a folder.`,
    });
    expect(await fail('files.list', { path: 'a\0b' })).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/NUL byte/),
    });
  });
});

describe('files.read', () => {
  it('returns the text and the modification time; drops a BOM', async () => {
    const { call, docs } = setup();
    writeFileSync(join(docs, 'g.sagan.json'), '\uFEFF{"format":"x"} ü');
    expect(await call('files.read', { path: 'g.sagan.json' })).toEqual({
      path: join(docs, 'g.sagan.json'),
      text: '{"format":"x"} ü',
      mtimeMs: statSync(join(docs, 'g.sagan.json')).mtimeMs,
    });
  });

  it('names the path in every error', async () => {
    const { fail, docs } = setup();
    mkdirSync(join(docs, 'folder'));
    writeFileSync(join(docs, 'binary.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    expect(await fail('files.read', { path: 'nope.json' })).toEqual({
      code: 'not-found',
      message: `${join(docs, 'nope.json')} does not exist.`,
    });
    expect(await fail('files.read', { path: 'folder' })).toEqual({
      code: 'bad-request',
      message: `${join(docs, 'folder')} is a folder, not a file.`,
    });
    expect(await fail('files.read', { path: 'binary.bin' })).toEqual({
      code: 'bad-request',
      message: `${join(docs, 'binary.bin')} is not a text file (it is not valid UTF-8).`,
    });
  });

  it('refuses a file above the size limit without reading it', async () => {
    const { fail, docs } = setup({
      stat: (async () =>
        Object.assign(statSync(tmpdir()), {
          isDirectory: () => false,
          isFile: () => true,
          size: 65 * 1024 * 1024,
        })) as unknown as HostFs['stat'],
    });
    expect(await fail('files.read', { path: 'huge.json' })).toEqual({
      code: 'bad-request',
      message: `${join(docs, 'huge.json')} is too large to open (65.0 MB; the limit is 64.0 MB).`,
    });
  });

  it.skipIf(isRoot)('reports a file it may not read as a permission error', async () => {
    const { fail, docs } = setup();
    writeFileSync(join(docs, 'secret.json'), '{}');
    chmodSync(join(docs, 'secret.json'), 0o000);
    expect(await fail('files.read', { path: 'secret.json' })).toMatchObject({
      code: 'permission',
      message: expect.stringContaining(join(docs, 'secret.json')),
    });
  });

  it('reports EACCES from the disk as a permission error (also when tests run as root)', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const { fail, docs } = setup({
      readFile: (async () => {
        throw denied;
      }) as unknown as HostFs['readFile'],
    });
    writeFileSync(join(docs, 'secret.json'), '{}');
    expect(await fail('files.read', { path: 'secret.json' })).toEqual({
      code: 'permission',
      message: `Permission denied: cannot read ${join(docs, 'secret.json')}. Check the file's permissions or choose another place.`,
    });
  });
});

describe('files.write', () => {
  it('writes a new file and returns its mtime; replaces an existing one keeping its permissions', async () => {
    const { call, docs } = setup();
    const written = await call('files.write', { path: 'new.sagan.json', text: '{"v":1}' });
    const file = join(docs, 'new.sagan.json');
    expect(written).toEqual({ path: file, mtimeMs: statSync(file).mtimeMs });
    expect(readFileSync(file, 'utf8')).toBe('{"v":1}');
    chmodSync(file, 0o640);
    await call('files.write', { path: file, text: '{"v":2}' });
    expect(readFileSync(file, 'utf8')).toBe('{"v":2}');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(docs)).toEqual(['new.sagan.json']);
  });

  it('writes through a symbolic link to its target, keeping the link', async () => {
    const { call, docs } = setup();
    mkdirSync(join(docs, 'real'));
    writeFileSync(join(docs, 'real', 'g.json'), 'old');
    symlinkSync(join(docs, 'real', 'g.json'), join(docs, 'link.json'));
    await call('files.write', { path: 'link.json', text: 'new' });
    expect(readFileSync(join(docs, 'real', 'g.json'), 'utf8')).toBe('new');
    expect(statSync(join(docs, 'link.json')).isFile()).toBe(true);
  });

  it('refuses to replace an existing file when overwrite is false', async () => {
    const { call, fail, docs } = setup();
    writeFileSync(join(docs, 'taken.json'), 'mine');
    expect(await fail('files.write', { path: 'taken.json', text: 'theirs', overwrite: false })).toEqual({
      code: 'exists',
      message: `${join(docs, 'taken.json')} already exists; choose another name, or replace it.`,
    });
    expect(readFileSync(join(docs, 'taken.json'), 'utf8')).toBe('mine');
    await call('files.write', { path: 'free.json', text: 'ok', overwrite: false });
    expect(readFileSync(join(docs, 'free.json'), 'utf8')).toBe('ok');
  });

  it('detects a file changed on disk since it was read, and one deleted since', async () => {
    const { call, fail, docs } = setup();
    const file = join(docs, 'g.json');
    writeFileSync(file, 'v1');
    const opened = await call('files.read', { path: file });
    const saved = await call('files.write', { path: file, text: 'v2', expectedMtimeMs: opened.mtimeMs });
    writeFileSync(file, 'edited elsewhere');
    utimesSync(file, new Date(), new Date(saved.mtimeMs + 5000));
    expect(await fail('files.write', { path: file, text: 'v3', expectedMtimeMs: saved.mtimeMs })).toEqual({
      code: 'conflict',
      message: `${file} was changed on disk since it was opened (by another program or window). Reload it, or save again to overwrite those changes.`,
    });
    expect(readFileSync(file, 'utf8')).toBe('edited elsewhere');
    expect(await fail('files.write', { path: 'gone.json', text: 'x', expectedMtimeMs: 1 })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/gone\.json was deleted or moved since it was opened/),
    });
  });

  it('does not create folders: a missing parent is named', async () => {
    const { fail, docs } = setup();
    expect(await fail('files.write', { path: 'no/such/g.json', text: 'x' })).toEqual({
      code: 'not-found',
      message: `The folder ${join(docs, 'no', 'such')} does not exist; choose an existing folder to save g.json in.`,
    });
    expect(existsSync(join(docs, 'no'))).toBe(false);
  });

  it('refuses to write onto a folder or below a file', async () => {
    const { fail, docs } = setup();
    mkdirSync(join(docs, 'dir'));
    writeFileSync(join(docs, 'file'), 'x');
    expect(await fail('files.write', { path: 'dir', text: 'x' })).toEqual({
      code: 'bad-request',
      message: `Cannot save ${join(docs, 'dir')}: it is a folder.`,
    });
    expect(await fail('files.write', { path: 'file/g.json', text: 'x' })).toEqual({
      code: 'bad-request',
      message: `Cannot save ${join(docs, 'file', 'g.json')}: ${join(docs, 'file')} is a file, not a folder.`,
    });
  });

  it('leaves the old file intact and no temp file behind when the rename never happens (a crash)', async () => {
    const crash = Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
    const { fail, docs } = setup({
      rename: async () => {
        throw crash;
      },
    });
    writeFileSync(join(docs, 'g.json'), 'precious');
    expect(await fail('files.write', { path: 'g.json', text: 'half-written' })).toEqual({
      code: 'internal',
      message: `Cannot save ${join(docs, 'g.json')}: simulated crash before rename`,
    });
    expect(readFileSync(join(docs, 'g.json'), 'utf8')).toBe('precious');
    expect(readdirSync(docs)).toEqual(['g.json']);
  });

  it('reports a full disk and a read-only folder in words', async () => {
    const full = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
    const { fail, docs } = setup({
      rename: async () => {
        throw full;
      },
    });
    expect(await fail('files.write', { path: 'g.json', text: 'x' })).toEqual({
      code: 'internal',
      message: `Cannot save ${join(docs, 'g.json')}: the disk is full. Free some space and try again.`,
    });
    const readOnly = Object.assign(new Error('EROFS'), { code: 'EROFS' });
    const ro = setup({
      open: (async () => {
        throw readOnly;
      }) as unknown as HostFs['open'],
    });
    expect(await ro.fail('files.write', { path: 'g.json', text: 'x' })).toEqual({
      code: 'permission',
      message: `Cannot save ${join(ro.docs, 'g.json')}: it is on a read-only disk.`,
    });
  });
});

describe('files.recent', () => {
  it('keeps at most ten, most recent first, without duplicates, across restarts', async () => {
    const { call, docs, state } = setup();
    expect(await call('files.recent', {})).toEqual([]);
    for (let i = 0; i < 12; i++) writeFileSync(join(docs, `g${i}.json`), '{}');
    for (let i = 0; i < 12; i++) await call('files.addRecent', { path: `g${i}.json` });
    const again = await call('files.addRecent', { path: 'g5.json' });
    expect(again.map((f) => f.name)).toEqual([
      'g5.json',
      'g11.json',
      'g10.json',
      'g9.json',
      'g8.json',
      'g7.json',
      'g6.json',
      'g4.json',
      'g3.json',
      'g2.json',
    ]);
    expect(again[0]).toEqual({ path: join(docs, 'g5.json'), name: 'g5.json', openedAt: '2025-01-01T00:00:13.000Z' });
    const restarted = createHostHandlers({ kind: 'web', appVersion: '1', stateDir: state, documentsDir: docs });
    expect((await restarted['files.recent']({})).map((f) => f.name)).toEqual(again.map((f) => f.name));
  });

  it('leaves out files that are gone, and refuses to add a missing file', async () => {
    const { call, fail, docs } = setup();
    writeFileSync(join(docs, 'a.json'), '{}');
    writeFileSync(join(docs, 'b.json'), '{}');
    await call('files.addRecent', { path: 'a.json' });
    await call('files.addRecent', { path: 'b.json' });
    await import('node:fs/promises').then((f) => f.unlink(join(docs, 'b.json')));
    expect((await call('files.recent', {})).map((f) => f.name)).toEqual(['a.json']);
    expect(await fail('files.addRecent', { path: 'missing.json' })).toEqual({
      code: 'not-found',
      message: `${join(docs, 'missing.json')} does not exist.`,
    });
  });

  it('starts empty from a damaged list and keeps the damaged copy aside', async () => {
    const { call, state, docs } = setup();
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'recent-files.json'), '{"version":1,"files":[{"pa');
    expect(await call('files.recent', {})).toEqual([]);
    const aside = readdirSync(state).filter((f) => f.startsWith('recent-files.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(state, aside[0]!), 'utf8')).toBe('{"version":1,"files":[{"pa');
    writeFileSync(join(docs, 'a.json'), '{}');
    expect((await call('files.addRecent', { path: 'a.json' })).map((f) => f.name)).toEqual(['a.json']);
    expect(JSON.parse(readFileSync(join(state, 'recent-files.json'), 'utf8')).files).toHaveLength(1);
  });

  it('serialises concurrent additions so none is lost', async () => {
    const { call, docs } = setup();
    for (let i = 0; i < 5; i++) writeFileSync(join(docs, `c${i}.json`), '{}');
    await Promise.all([0, 1, 2, 3, 4].map((i) => call('files.addRecent', { path: `c${i}.json` })));
    expect((await call('files.recent', {})).map((f) => f.name).sort()).toEqual([
      'c0.json',
      'c1.json',
      'c2.json',
      'c3.json',
      'c4.json',
    ]);
  });
});

describe('recovery', () => {
  it('saves one snapshot, loads it after a restart, and clears it', async () => {
    const { call, state, docs } = setup();
    expect(await call('recovery.load', {})).toBeNull();
    const first = await call('recovery.save', { text: '{"a":1}', path: null, name: 'Untitled' });
    const second = await call('recovery.save', { text: '{"a":2}', path: 'g.sagan.json', name: 'g' });
    expect(second.savedAt > first.savedAt).toBe(true);
    const restarted = createHostHandlers({ kind: 'desktop', appVersion: '1', stateDir: state, documentsDir: docs });
    expect(await restarted['recovery.load']({})).toEqual({
      text: '{"a":2}',
      path: join(docs, 'g.sagan.json'),
      name: 'g',
      savedAt: second.savedAt,
    });
    expect(readdirSync(state)).toEqual(['recovery.json']);
    expect(await call('recovery.clear', {})).toEqual({ cleared: true });
    expect(await call('recovery.clear', {})).toEqual({ cleared: false });
    expect(await call('recovery.load', {})).toBeNull();
  });

  it('keeps the previous snapshot when a save fails before the rename', async () => {
    let failing = false;
    const crash = Object.assign(new Error('simulated crash'), { code: 'EIO' });
    const { call, fail, state } = setup({
      rename: async (from, to) => {
        if (failing) throw crash;
        return (await import('node:fs/promises')).rename(from, to);
      },
    });
    await call('recovery.save', { text: 'good', path: null, name: 'n' });
    failing = true;
    expect(await fail('recovery.save', { text: 'lost', path: null, name: 'n' })).toEqual({
      code: 'internal',
      message: `Cannot use the state folder ${state}: simulated crash`,
    });
    failing = false;
    expect((await call('recovery.load', {}))?.text).toBe('good');
  });

  it('reads a damaged snapshot as none and sets it aside', async () => {
    const { call, state } = setup();
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'recovery.json'), '{"text": 5}');
    expect(await call('recovery.load', {})).toBeNull();
    expect(readdirSync(state).some((f) => f.startsWith('recovery.json.corrupt-'))).toBe(true);
  });
});
