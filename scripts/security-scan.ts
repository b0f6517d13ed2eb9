// `npm run security`: Electronegativity (Doyensec's Electron security scanner) over the app's code, offline;
// fails on any high-severity finding and on any file it could not parse (a file it cannot read is not scanned).
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What ships: the Electron processes, the host and engine they run, the renderer (tests and tools do not ship). */
export const SCANNED = ['package.json', 'electron', 'renderer', 'graph-schemas'];
const SKIPPED = /(\.test\.tsx?$|\/fixtures\/|\/parity\/|\/node_modules\/)/;

export interface Finding {
  id: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  confidence: string;
  file: string;
  line: number;
  description: string;
  manualReview: boolean;
}

export interface ScanReport {
  findings: Finding[];
  /** Files the scanner could not parse (tolerable ones are warnings it still scanned through). */
  parseErrors: { file: string; message: string; tolerable: boolean }[];
  checks: number;
}

/** The report's verdict: failed on a HIGH finding or an unparsed file; one line per finding, worst first. */
export function verdict(report: ScanReport): { failed: boolean; lines: string[] } {
  const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
  const sorted = [...report.findings].sort(
    (a, b) => order[a.severity] - order[b.severity] || a.file.localeCompare(b.file),
  );
  const high = sorted.filter((f) => f.severity === 'HIGH');
  const unparsed = report.parseErrors.filter((e) => !e.tolerable);
  const lines = [
    ...sorted.map(
      (f) =>
        `${f.severity.padEnd(6)} ${f.id} ${f.file}${f.line ? `:${f.line}` : ''}: ${f.description}${f.manualReview && f.severity !== 'HIGH' ? ' (review)' : ''}`,
    ),
    ...report.parseErrors.map(
      (e) => `${e.tolerable ? 'WARN  ' : 'ERROR '} could not fully parse ${e.file}: ${e.message}`,
    ),
  ];
  const failed = high.length > 0 || unparsed.length > 0;
  lines.push(
    failed
      ? `Security scan failed: ${high.length} high-severity finding${high.length === 1 ? '' : 's'}, ${unparsed.length} unparsed file${unparsed.length === 1 ? '' : 's'} (${report.checks} checks).`
      : `Security scan passed: no high-severity findings (${report.checks} checks, ${report.findings.length} lower-severity note${report.findings.length === 1 ? '' : 's'} above).`,
  );
  return { failed, lines };
}

/** Copies what ships into a scratch folder, so the scan sees the app's code and nothing else. */
function stage(repoRoot: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sagan-security-'));
  const copy = (path: string) => {
    const from = join(repoRoot, path);
    if (statSync(from).isDirectory()) {
      for (const name of readdirSync(from)) copy(join(path, name));
    } else if (!SKIPPED.test(`/${path.split('\\').join('/')}`))
      cpSync(from, join(dir, path), { recursive: false, force: true });
  };
  for (const path of SCANNED) if (existsSync(join(repoRoot, path))) copy(path);
  return dir;
}

type RawIssue = {
  id: string;
  severity: { name: Finding['severity'] };
  confidence: { name: string };
  file: string;
  location: { line: number };
  description: string;
  manualReview?: boolean;
};
type Runner = (
  options: object,
  forCli: boolean,
) => Promise<{ issues: RawIssue[]; errors: ScanReport['parseErrors']; globalChecks: number; atomicChecks: number }>;

/** Scans the shipped parts of `codeRoot` (this repository, or a test's folder) with the scanner installed here. */
export async function scanApp(codeRoot: string, electronVersion: string): Promise<ScanReport> {
  const require = createRequire(join(root, 'node_modules/@doyensec/electronegativity/package.json'));
  // The scanner fetches translations and Electron's release list over the network; CI must not depend on (or be
  // fed by) the network, so its HTTP client answers "offline". The release check is off: the version is pinned.
  require.cache[require.resolve('got')] = {
    exports: () => Promise.reject(new Error('offline by design')),
  } as unknown as NodeJS.Module;
  const run = require('./dist/runner.js') as Runner;
  const staged = stage(codeRoot);
  const quiet = console.log;
  try {
    console.log = () => undefined; // "Could not retrieve updated translations": expected, offline
    const result = await run(
      {
        input: staged,
        isRelative: true,
        electronVersionOverride: electronVersion,
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
      },
      false,
    );
    return {
      findings: result.issues.map((i) => ({
        id: i.id,
        severity: i.severity.name,
        confidence: i.confidence.name,
        file: i.file,
        line: i.location.line,
        description: i.description,
        manualReview: !!i.manualReview,
      })),
      parseErrors: result.errors.map((e) => ({ ...e, file: relative(staged, e.file) })),
      checks: result.globalChecks + result.atomicChecks,
    };
  } finally {
    console.log = quiet;
    rmSync(staged, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const electronVersion = (createRequire(join(root, 'package.json'))('electron/package.json') as { version: string })
    .version;
  const report = await scanApp(root, electronVersion);
  const { failed, lines } = verdict(report);
  console.log(
    `Electronegativity over ${SCANNED.join(', ')} (Electron ${electronVersion}, ${((Date.now() - started) / 1000).toFixed(1)} s):`,
  );
  for (const line of lines) (failed ? console.error : console.log)(`  ${line}`);
  process.exitCode = failed ? 1 : 0;
}
