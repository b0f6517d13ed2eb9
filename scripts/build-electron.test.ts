import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from './build-electron';

let out: string;
beforeAll(async () => {
  out = await buildElectron(join(mkdtempSync(join(tmpdir(), 'sagan-electron-build-')), 'electron'));
});
afterAll(() => rmSync(join(out, '..'), { recursive: true, force: true }));

const requires = (file: string) =>
  [...new Set([...readFileSync(join(out, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort();

describe('electron bundles', () => {
  it('the sandboxed preload requires nothing but electron, and exposes saganHost', () => {
    expect(requires('preload.cjs')).toEqual(['electron']);
    const text = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(text).toMatch(/exposeInMainWorld\(\s*"saganHost"/);
    expect(text).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\)/);
    expect(text.length).toBeLessThan(20_000);
  });

  it('the main process bundles its own code and graph-schemas; it requires only electron and Node built-ins', () => {
    expect(requires('main.cjs').filter((m) => m !== 'electron' && !m.startsWith('node:'))).toEqual([]);
  });
});
