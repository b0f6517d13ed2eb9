import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

/**
 * Helpers for the checks of build/electron-builder.json that need no download (validate-builder-config.ts): which
 * paths its `files` patterns pack, which packages the app's runtime packages load, and whether the icons are real
 * images of the sizes each platform wants.
 */

export interface BuilderConfig {
  files?: string[];
  asar?: boolean | null;
  asarUnpack?: string[];
  afterPack?: string;
  directories?: { buildResources?: string; output?: string };
  fileAssociations?: FileAssociation[];
  linux?: PlatformConfig;
  mac?: PlatformConfig;
  win?: PlatformConfig;
}
interface PlatformConfig {
  icon?: string;
  fileAssociations?: FileAssociation[];
  /** Refused: electron-builder makes it a second matcher that copies the app again. */
  files?: string[];
}

/** The hook that leaves other platforms' Dawn builds out of each package, and its table (build/after-pack.cjs). */
export const AFTER_PACK = 'build/after-pack.cjs';
const afterPackHook = createRequire(import.meta.url)('../build/after-pack.cjs') as {
  DAWN_BUILDS: Record<'linux' | 'darwin' | 'win32', string[]>;
  foreignDawnBuilds(platform: string): string[];
};
const ELECTRON_PLATFORM = { linux: 'linux', mac: 'darwin', win: 'win32' } as const;

/** The folders of npm `webgpu`'s dist/ that hold each platform's dawn.node (with what it loads beside it). */
export const DAWN_BUILDS: Record<'linux' | 'mac' | 'win', string[]> = {
  linux: afterPackHook.DAWN_BUILDS.linux,
  mac: afterPackHook.DAWN_BUILDS.darwin,
  win: afterPackHook.DAWN_BUILDS.win32,
};

/**
 * Each platform's package carries its own dawn.node (and, on Windows, the DirectX compilers beside it) and no other
 * platform's: the binaries are 12–22 MB each. The top-level `files` packs them all and the afterPack hook removes
 * the other platforms' (a platform-level `files` list would make electron-builder copy the app twice). Returns what
 * is wrong, one sentence each.
 */
export function checkDawnBuilds(root: string, config: BuilderConfig): string[] {
  const dist = 'node_modules/webgpu/dist';
  const problems: string[] = [];
  for (const platform of ['linux', 'mac', 'win'] as const)
    if (config[platform]?.files)
      problems.push(
        `"${platform}.files" makes electron-builder copy the whole app a second time (EEXIST): leave platform files to the afterPack hook ${AFTER_PACK}.`,
      );
  const hooked = config.afterPack === AFTER_PACK;
  const known = Object.values(DAWN_BUILDS).flat();
  for (const dir of existsSync(join(root, dist)) ? readdirSync(join(root, dist)) : [])
    if (statSync(join(root, dist, dir)).isDirectory() && !known.includes(dir))
      problems.push(
        `${dist}/${dir} is a Dawn build no platform is known to load: add it to DAWN_BUILDS in ${AFTER_PACK}.`,
      );
  for (const [platform, own] of Object.entries(DAWN_BUILDS) as [keyof typeof DAWN_BUILDS, string[]][]) {
    const removed = hooked ? afterPackHook.foreignDawnBuilds(ELECTRON_PLATFORM[platform]) : [];
    for (const dir of known) {
      const binaries = filesEndingWith(root, `${dist}/${dir}`, ['.node', '.dll']);
      if (own.includes(dir) && !binaries.some((b) => b.endsWith('/dawn.node')))
        problems.push(`${dist}/${dir}/dawn.node is missing: reinstall the webgpu package (npm ci).`);
      for (const file of binaries) {
        const packed = isModulePacked(file, config.files ?? []) && !removed.includes(dir);
        if (own.includes(dir) && !packed)
          problems.push(`The ${platform} package would lack ${file}, which its WebGPU backend loads.`);
        if (!own.includes(dir) && packed)
          problems.push(
            `The ${platform} package would carry ${file}, another platform's binary: set "afterPack": "${AFTER_PACK}", which removes it.`,
          );
      }
    }
  }
  return problems;
}
interface FileAssociation {
  ext: string | string[];
  icon?: string;
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

/**
 * Whether electron-builder would pack a file under node_modules: it copies every production dependency and
 * applies only the exclusions (`!…`) of `files` to them (a positive pattern cannot bring a package back).
 */
export function isModulePacked(path: string, patterns: string[]): boolean {
  return !patterns.some((p) => p.startsWith('!') && globToRegExp(p.slice(1)).test(path));
}

/** A package's folder as Node resolves it from `from`: the nearest node_modules/NAME up to the root. */
function packageDir(root: string, from: string, name: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}

/**
 * Every installed package the named ones load, themselves included: folders relative to the root, "/"-separated
 * (node_modules/x, node_modules/x/node_modules/y). Type packages (@types/*) are left out: no code runs from them.
 */
export function dependencyClosure(root: string, names: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = names.map((name) => ({ from: root, name }));
  while (queue.length) {
    const { from, name } = queue.pop()!;
    if (name.startsWith('@types/')) continue;
    const dir = packageDir(root, from, name);
    if (!dir || seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies };
    for (const dep of Object.keys(deps)) queue.push({ from: dir, name: dep });
  }
  return [...seen].map((dir) => relative(root, dir).split(sep).join('/')).sort();
}

/** Files under a folder (relative to the root, "/"-separated) whose names end with one of `extensions`. */
export function filesEndingWith(root: string, folder: string, extensions: readonly string[]): string[] {
  if (!existsSync(join(root, folder))) return [];
  return readdirSync(join(root, folder), { recursive: true })
    .map((f) => `${folder}/${String(f).split(sep).join('/')}`)
    .filter((f) => extensions.some((ext) => f.endsWith(ext)) && statSync(join(root, f)).isFile());
}

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
  problems.push(...checkFileAssociations(root, config));
  return problems;
}

/**
 * File associations, per platform: an extension without its leading dot, and an icon the platform can use. macOS
 * (Launch Services) and Windows (Explorer) see only the last extension of a name, so "sagan.json" can never match
 * there: a two-dot extension belongs in linux.fileAssociations (a shared-mime-info glob matches the whole name).
 */
export function checkFileAssociations(root: string, config: BuilderConfig): Problem[] {
  const problems: Problem[] = [];
  const fail = (message: string) => problems.push({ check: 'file associations', message });
  const buildResources = config.directories?.buildResources ?? 'build';
  const lists = [
    { where: 'fileAssociations', list: config.fileAssociations, icons: ['icns', 'ico'], lastExtensionOnly: true },
    { where: 'linux.fileAssociations', list: config.linux?.fileAssociations, icons: [], lastExtensionOnly: false },
    { where: 'mac.fileAssociations', list: config.mac?.fileAssociations, icons: ['icns'], lastExtensionOnly: true },
    { where: 'win.fileAssociations', list: config.win?.fileAssociations, icons: ['ico'], lastExtensionOnly: true },
  ];
  for (const { where, list, icons, lastExtensionOnly } of lists)
    for (const assoc of list ?? []) {
      for (const ext of Array.isArray(assoc.ext) ? assoc.ext : [assoc.ext]) {
        if (ext.startsWith('.')) fail(`${where} ext "${ext}" must not start with a dot.`);
        else if (lastExtensionOnly && ext.includes('.'))
          fail(
            `${where} ext "${ext}" never matches on macOS or Windows, which see only a name's last extension; put it in linux.fileAssociations.`,
          );
      }
      const missing = icons.filter((x) => !existsSync(join(root, buildResources, `${assoc.icon}.${x}`)));
      if (assoc.icon && missing.length)
        fail(
          `The ${where} icon "${assoc.icon}" needs ${missing.map((x) => `${buildResources}/${assoc.icon}.${x}`).join(' and ')}.`,
        );
    }
  return problems;
}
