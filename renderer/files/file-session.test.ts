import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiTransport } from '../../graph-schemas';
import { createApiClient, dispatchRequest, findPreset, validateGraph } from '../../graph-schemas';
import { createHostHandlers } from '../../electron/host/handlers';
import { createEditorStore, isDirty } from '../store/document-store';
import { removeElements } from '../store/graph-edits';
import { blankDocument } from './blank-document';
import type { FileSession } from './file-session';
import {
  displayName,
  newFromPreset,
  openFile,
  restoreSnapshot,
  saveDocument,
  serializeDocument,
  withGraphExtension,
} from './file-session';

// The real host API (the one `sagan-studio serve` runs), called in-process on temporary folders.
let dir: string;
let session: FileSession;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sagan-files-'));
  const handlers = createHostHandlers({
    kind: 'web',
    appVersion: 'test',
    stateDir: join(dir, 'state'),
    documentsDir: dir,
  });
  const transport: ApiTransport = { request: (m) => dispatchRequest(handlers, m), onEvent: () => () => undefined };
  session = { api: createApiClient(transport), editor: createEditorStore(blankDocument()) };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file session', () => {
  it('new from preset, save as, reopen: the same document, clean, in recent files', async () => {
    expect(await newFromPreset(session, 'sagan-32')).toMatchObject({ ok: true });
    const report = validateGraph(session.editor.getState().doc);
    session.editor.getState().execute(removeElements('generator', ['g_attention'], [], report));
    expect(isDirty(session.editor.getState())).toBe(true);
    const path = join(dir, 'mine.sagan.json');
    expect(await saveDocument(session)).toMatchObject({ ok: false, message: 'Choose where to save this graph.' });
    expect(await saveDocument(session, { path })).toMatchObject({ ok: true, message: 'Saved mine.sagan.json.' });
    expect(isDirty(session.editor.getState())).toBe(false);
    expect(displayName(session.editor)).toBe('mine.sagan.json');
    const saved = readFileSync(path, 'utf8');
    expect(saved).toBe(serializeDocument(session.editor.getState().doc));

    await newFromPreset(session, null);
    expect(await openFile(session, path)).toMatchObject({ ok: true, level: 'success' });
    expect(serializeDocument(session.editor.getState().doc)).toBe(saved);
    expect(isDirty(session.editor.getState())).toBe(false);
    expect((await session.api.files.recent()).map((r) => r.path)).toEqual([path]);
  });

  it('refuses to overwrite a file changed on disk since it was opened, until forced', async () => {
    const path = join(dir, 'a.sagan.json');
    writeFileSync(path, serializeDocument(findPreset('sagan-mnist')!.build()));
    await openFile(session, path);
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(path, serializeDocument(findPreset('sagan-32')!.build()));
    expect(await saveDocument(session)).toMatchObject({ ok: false, code: 'conflict' });
    expect(await saveDocument(session, { force: true })).toMatchObject({ ok: true });
    expect(readFileSync(path, 'utf8')).toContain('SAGAN-MNIST');
  });

  it('save as onto an existing file asks first', async () => {
    const path = join(dir, 'taken.sagan.json');
    writeFileSync(path, 'x');
    expect(await saveDocument(session, { path })).toMatchObject({ ok: false, code: 'exists' });
    expect(await saveDocument(session, { path, overwrite: true })).toMatchObject({ ok: true });
  });

  it('a corrupt file gets a clear message and the open graph is untouched', async () => {
    await newFromPreset(session, 'sagan-32');
    const before = session.editor.getState().doc;
    const path = join(dir, 'broken.sagan.json');
    writeFileSync(path, '{"format": "sagan-studio/graph", "version": 1,\n  "name": ');
    const outcome = await openFile(session, path);
    expect(outcome).toMatchObject({ ok: false, level: 'error' });
    expect(outcome.message).toMatch(/^Could not open broken\.sagan\.json: broken\.sagan\.json is not valid JSON/);
    expect(outcome.message).toMatch(/Your open graph was not changed\.$/);
    const wrongShape = join(dir, 'shape.sagan.json');
    writeFileSync(wrongShape, JSON.stringify({ format: 'sagan-studio/graph', version: 1, name: 'x' }));
    expect((await openFile(session, wrongShape)).details?.length).toBeGreaterThan(0);
    expect(await openFile(session, join(dir, 'missing.sagan.json'))).toMatchObject({ ok: false, code: 'not-found' });
    expect(session.editor.getState().doc).toBe(before);
  });

  it('restores an autosaved snapshot as unsaved work', async () => {
    const text = serializeDocument(findPreset('sagan-128')!.build());
    const outcome = restoreSnapshot(session, {
      text,
      savedAt: new Date().toISOString(),
      path: null,
      name: 'SAGAN-128',
    });
    expect(outcome.ok).toBe(true);
    expect(session.editor.getState().doc.name).toBe('SAGAN-128');
    expect(isDirty(session.editor.getState())).toBe(true);
  });

  it('names files with the graph extension', () => {
    expect(withGraphExtension('my gan')).toBe('my gan.sagan.json');
    expect(withGraphExtension('a.json')).toBe('a.sagan.json');
    expect(withGraphExtension('b.sagan.json ')).toBe('b.sagan.json');
  });
});
