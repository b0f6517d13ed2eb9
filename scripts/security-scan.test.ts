import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from './security-scan';
import { scanApp, verdict } from './security-scan';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('verdict', () => {
  const finding = (severity: ScanReport['findings'][number]['severity']) => ({
    id: 'X_CHECK',
    severity,
    confidence: 'FIRM',
    file: 'electron/main/a.ts',
    line: 3,
    description: 'd',
    manualReview: false,
  });
  it('fails on any high finding or unparsed file; passes with lower findings, listing them', () => {
    expect(verdict({ findings: [finding('MEDIUM'), finding('LOW')], parseErrors: [], checks: 40 }).failed).toBe(false);
    const high = verdict({ findings: [finding('LOW'), finding('HIGH')], parseErrors: [], checks: 40 });
    expect(high.failed).toBe(true);
    expect(high.lines[0]).toBe('HIGH   X_CHECK electron/main/a.ts:3: d');
    expect(
      verdict({
        findings: [],
        parseErrors: [{ file: 'electron/main/b.ts', message: 'Unexpected token', tolerable: false }],
        checks: 40,
      }).failed,
    ).toBe(true);
    expect(
      verdict({
        findings: [],
        parseErrors: [{ file: 'electron/main/b.ts', message: 'odd', tolerable: true }],
        checks: 40,
      }).failed,
    ).toBe(false);
  });
});

describe('Electronegativity, offline', () => {
  let insecure: string;
  beforeAll(() => {
    insecure = mkdtempSync(join(tmpdir(), 'sagan-insecure-'));
    mkdirSync(join(insecure, 'electron', 'main'), { recursive: true });
    writeFileSync(join(insecure, 'package.json'), '{"name":"insecure","devDependencies":{"electron":"40.8.5"}}');
    writeFileSync(
      join(insecure, 'electron', 'main', 'main.ts'),
      "import { BrowserWindow } from 'electron';\nexport const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nwin.loadURL('https://example.com/');\n",
    );
  });
  afterAll(() => rmSync(insecure, { recursive: true, force: true }));

  it("finds an insecure window's high-severity problems", async () => {
    const report = await scanApp(insecure, '40.8.5');
    const high = report.findings.filter((f) => f.severity === 'HIGH').map((f) => f.id);
    expect(high).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
    expect(verdict(report).failed).toBe(true);
  });

  it('passes on this app', async () => {
    const report = await scanApp(root, '40.8.5');
    expect(report.parseErrors.filter((e) => !e.tolerable)).toEqual([]);
    expect(report.findings.filter((f) => f.severity === 'HIGH')).toEqual([]);
    expect(report.checks).toBeGreaterThan(30);
  });
});
