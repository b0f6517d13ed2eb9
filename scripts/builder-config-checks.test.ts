import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { icnsOf, icoOf, pngOf } from '../build/make-icons';
import type { BuilderConfig } from './builder-config-checks';
import {
  globToRegExp,
  icnsTypes,
  icoSizes,
  isPacked,
  packageOf,
  pngSize,
  runtimeImports,
} from './builder-config-checks';
import { CONFIG_FILE, validateBuilderConfig } from './validate-builder-config';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = JSON.parse(readFileSync(join(root, CONFIG_FILE), 'utf8')) as BuilderConfig;

describe('electron-builder configuration', () => {
  it('is valid: schema, packed runtime files, production dependencies, icons', async () => {
    const { problems } = await validateBuilderConfig(root, false);
    expect(problems).toEqual([]);
  });

  it('catches what would break the packaged app', async () => {
    const broken: BuilderConfig & Record<string, unknown> = {
      ...config,
      files: (config.files ?? []).filter((f) => f !== 'electron/host/**/*.ts' && f !== 'dist/electron/*.cjs'),
      linux: { ...config.linux, targetz: ['AppImage'] } as BuilderConfig['linux'],
      asar: true,
      asarUnpack: ['**/*.node'],
      win: { icon: 'build/icon.png' },
    };
    const checks = (await validateBuilderConfig(root, false, broken)).problems.map((p) => `${p.check}: ${p.message}`);
    expect(checks).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schema: .*configuration\.linux/s),
        'files: dist/electron/main.cjs is loaded by the app but not matched by "files" in build/electron-builder.json.',
        'runtime files: electron/host/handlers.ts runs in the packaged app but is not matched by "files".',
        expect.stringMatching(
          /^asar: With asar on, node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/tfjs-backend-wasm\.wasm must be in asarUnpack/,
        ),
        expect.stringMatching(/^asar: With asar on, electron\/engine\/node\/run\/worker-entry\.js/),
        expect.stringMatching(/^icons: build\/icon\.png must be an ICO with a 256×256 image/),
      ]),
    );
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
  });

  it('runtime imports: code, not strings; type-only imports do not count', () => {
    const text = [
      "import type { A } from './types';",
      "import { b } from './b';",
      "import { register } from 'tsx/esm/api';",
      "const w = new Worker(new URL('./worker-entry.js', import.meta.url));",
      "const root = createRequire(import.meta.url).resolve('mnist/package.json');",
      'const readme = `import { x } from "./sagan-layers.js";`;',
      "await import('./late.ts');",
    ].join('\n');
    expect(runtimeImports(text).sort()).toEqual(
      ['./b', './late.ts', './worker-entry.js', 'mnist/package.json', 'tsx/esm/api'].sort(),
    );
    expect(['@tensorflow/tfjs/dist/x', 'tsx/esm/api', 'node:fs', 'fs', './x', 'electron'].map(packageOf)).toEqual([
      '@tensorflow/tfjs',
      'tsx',
      null,
      null,
      null,
      null,
    ]);
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
