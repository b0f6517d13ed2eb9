// Lint rules, including the one that keeps imports flowing one way between layers:
// graph-schemas <- electron/engine <- cli / electron/main; graph-schemas <- renderer.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'url',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'util',
  'events',
  'buffer',
  'process',
  'zlib',
];
const layer = (name) => [`**/${name}`, `**/${name}/**`];

/** @param {string[]} files @param {{ group: string[], message: string }[]} patterns */
const restrict = (files, patterns, extraGlobals = []) => ({
  files,
  ignores: ['**/*.test.ts', '**/*.test.tsx'],
  rules: {
    'no-restricted-imports': ['error', { patterns }],
    ...(extraGlobals.length ? { 'no-restricted-globals': ['error', ...extraGlobals] } : {}),
  },
});

const nodeGlobals = ['process', 'Buffer', '__dirname', '__filename', 'require'].map((name) => ({
  name,
  message: 'This layer must run outside Node; take what you need through an interface.',
}));

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.tsbuild/**', 'runs/**', 'e2e/artifacts/**', 'test-results/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The Rules of React in the renderer: hooks' dependency lists are checked, not hand-picked.
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  restrict(
    ['graph-schemas/**/*.ts'],
    [
      {
        group: [...layer('electron'), ...layer('renderer'), ...layer('cli')],
        message: 'graph-schemas imports no other layer.',
      },
      {
        group: ['react', 'react-dom', '@xyflow/*', '@tensorflow/*', 'electron'],
        message: 'graph-schemas is pure TypeScript: no React, no tfjs, no Electron.',
      },
      { group: nodeBuiltins, message: 'graph-schemas must not use Node built-ins.' },
    ],
    nodeGlobals,
  ),
  restrict(
    ['electron/engine/**/*.ts'],
    [
      {
        group: [...layer('renderer'), ...layer('main'), ...layer('preload'), ...layer('cli')],
        message: 'The engine imports only graph-schemas.',
      },
      {
        group: ['electron', 'react', 'react-dom', '@xyflow/*'],
        message: 'The engine never imports Electron or React.',
      },
    ],
  ),
  restrict(
    ['electron/engine/core/**/*.ts'],
    [
      {
        group: [
          ...layer('renderer'),
          ...layer('main'),
          ...layer('preload'),
          ...layer('cli'),
          '**/engine/node',
          '**/engine/node/**',
          '**/node',
          '**/node/**',
        ],
        message: 'The engine core imports only graph-schemas and other core modules.',
      },
      {
        group: ['electron', 'react', 'react-dom', '@xyflow/*'],
        message: 'The engine never imports Electron or React.',
      },
      {
        group: nodeBuiltins,
        message:
          'The engine core must stay free of Node built-ins (it will also run in a browser worker); pass files and threads in through an interface.',
      },
    ],
    nodeGlobals,
  ),
  restrict(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [
      {
        group: [...layer('electron'), ...layer('cli')],
        message: 'The renderer reaches the engine only through the typed API in graph-schemas.',
      },
      { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
    ],
    nodeGlobals,
  ),
  restrict(
    ['electron/host/**/*.ts'],
    [
      {
        group: [...layer('renderer'), ...layer('main'), ...layer('preload'), ...layer('cli')],
        message: 'The host implements the API for both shells; it imports graph-schemas and the engine only.',
      },
      {
        group: ['electron', 'react', 'react-dom', '@xyflow/*'],
        message: 'The host runs in the web server too: no Electron, no React.',
      },
    ],
  ),
  restrict(
    ['cli/**/*.ts'],
    [
      {
        group: [...layer('renderer'), ...layer('main'), ...layer('preload')],
        message: 'The CLI uses graph-schemas and the engine only.',
      },
      { regex: '^electron(/|$)', message: 'Only electron/main and electron/preload import Electron.' },
    ],
  ),
  restrict(
    ['electron/main/**/*.ts'],
    [
      {
        group: [...layer('renderer'), ...layer('preload'), ...layer('engine'), ...layer('cli')],
        message:
          'The main process imports electron, electron/host and graph-schemas only (the engine through the host).',
      },
    ],
  ),
  restrict(
    ['electron/preload/**/*.ts'],
    [
      {
        group: [...layer('renderer'), ...layer('main'), ...layer('host'), ...layer('engine'), ...layer('cli')],
        message: 'The preload imports electron and graph-schemas only.',
      },
      { group: nodeBuiltins, message: 'A sandboxed preload has no Node built-ins: it may require electron only.' },
    ],
    nodeGlobals,
  ),
);
