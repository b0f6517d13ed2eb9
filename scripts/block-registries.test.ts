import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * Every registry of blocks (the engine's layer builders, the PyTorch emitters, the renderer's chip labels, the
 * presets) is keyed on the catalog's block types and typed by each block's params. This type-checks the real
 * sources with one file changed in memory, as a person adding a block or renaming a param would change it, and
 * expects the type checker to point at every place that must follow.
 */
const root = resolve(import.meta.dirname, '..');
const registries = [
  'electron/engine/core/compile/node-builders.ts',
  'electron/engine/node/pytorch/blocks/index.ts',
  'renderer/canvas/node-view.ts',
  'graph-schemas/presets/index.ts',
];

const watched =
  /^(graph-schemas\/(blocks|presets)\/[^/]+\.ts|electron\/engine\/core\/compile\/[^/]+\.ts|electron\/engine\/node\/pytorch\/(blocks\/)?[^/]+\.ts|renderer\/canvas\/node-view\.ts)$/;

const base = ts.parseJsonConfigFileContent(
  ts.readConfigFile(resolve(root, 'tsconfig.base.json'), ts.sys.readFile).config,
  ts.sys,
  root,
).options;
const options: ts.CompilerOptions = {
  ...base,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  jsx: ts.JsxEmit.ReactJSX,
  noEmit: true,
};

let previous: ts.Program | undefined;

/** Type errors in the registries' sources with some files replaced ({ path: new text }), as "file: message". */
function typeErrors(changes: Record<string, string> = {}): string[] {
  const overlay = new Map(Object.entries(changes).map(([p, text]) => [resolve(root, p), text]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, readFile, fileExists } = host;
  host.fileExists = (f) => overlay.has(resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => overlay.get(resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = overlay.get(resolve(f));
    return text === undefined ? getSourceFile.call(host, f, lang, onError, create) : ts.createSourceFile(f, text, lang);
  };
  const program = ts.createProgram({
    rootNames: registries.map((r) => resolve(root, r)),
    options,
    host,
    ...(previous ? { oldProgram: previous } : {}),
  });
  if (Object.keys(changes).length === 0) previous = program;
  // Only the files a block's facts reach (checking all of tfjs's users as well would take minutes).
  const checked = program.getSourceFiles().filter((f) => watched.test(relative(root, f.fileName)));
  return [...program.getOptionsDiagnostics(), ...checked.flatMap((f) => program.getSemanticDiagnostics(f))]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const where = d.file ? relative(root, d.file.fileName) : '(options)';
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}

const source = (path: string) => readFileSync(resolve(root, path), 'utf8');

/** The catalog's index with one more block type in it, defined in a file of its own. */
function catalogWith(block: string): string {
  const index = source('graph-schemas/blocks/index.ts');
  const withImport = `import { ${block} } from './${block.toLowerCase()}';\n${index}`;
  return withImport.replace('const blockCatalogInOrder = [\n', `const blockCatalogInOrder = [\n  ${block},\n`);
}

const clampBlock = `import { z } from 'zod';
import { defineBlock } from '../block';
import { activationPorts, sameShape } from './activation';

export const Clamp = defineBlock({
  type: 'Clamp',
  version: 1,
  title: 'Clamp',
  category: 'Activation',
  description: 'min(max(x, -limit), limit).',
  networks: ['generator', 'discriminator'],
  idStem: 'clamp',
  params: z.object({ limit: z.number().default(1) }),
  ...activationPorts,
  migrations: [],
  infer: ({ inputs }) => sameShape(inputs),
});
`;

describe('block registries are typed by the catalog', () => {
  beforeAll(() => {
    expect(typeErrors()).toEqual([]);
  }, 120_000);

  it('a new catalog block without a layer builder and a PyTorch emitter does not type-check', () => {
    const errors = typeErrors({
      'graph-schemas/blocks/clamp.ts': clampBlock,
      'graph-schemas/blocks/index.ts': catalogWith('Clamp'),
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^electron\/engine\/core\/compile\/node-builders\.ts: Property 'Clamp' is missing/),
        expect.stringMatching(/^electron\/engine\/node\/pytorch\/blocks\/index\.ts: Property 'Clamp' is missing/),
      ]),
    );
  });

  it('forgetting one block in a registry does not type-check', () => {
    const builders = source('electron/engine/core/compile/node-builders.ts');
    const withoutTanh = builders.replace(/\n {2}Tanh: [^\n]*\n(?: {4}[^\n]*\n)*/, '\n');
    expect(withoutTanh).not.toBe(builders);
    const emitters = source('electron/engine/node/pytorch/blocks/index.ts');
    const withoutUpsample = emitters.replace('\n  Upsample,\n', '\n');
    const errors = typeErrors({
      'electron/engine/core/compile/node-builders.ts': withoutTanh,
      'electron/engine/node/pytorch/blocks/index.ts': withoutUpsample,
    });
    expect(errors).toEqual([
      expect.stringMatching(/^electron\/engine\/core\/compile\/node-builders\.ts: Property 'Tanh' is missing/),
      expect.stringMatching(/^electron\/engine\/node\/pytorch\/blocks\/index\.ts: Property 'Upsample' is missing/),
    ]);
  });

  it('renaming a param fails wherever it is used: engine, PyTorch emitter, renderer labels, presets', () => {
    const conv = source('graph-schemas/blocks/conv2d.ts');
    const renamed = conv.replaceAll('filters', 'featureMaps');
    expect(renamed).not.toBe(conv);
    const files = new Set(
      typeErrors({ 'graph-schemas/blocks/conv2d.ts': renamed })
        .filter((e) => e.includes("'filters'"))
        .map((e) => e.slice(0, e.indexOf(':'))),
    );
    expect([...files].sort()).toEqual([
      'electron/engine/core/compile/node-builders.ts',
      'electron/engine/node/pytorch/blocks/conv2d.ts',
      'graph-schemas/presets/builder.ts',
      'renderer/canvas/node-view.ts',
    ]);
  });
});
