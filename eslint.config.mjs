// Lint rules double as the layer rules of docs/DESIGN.md: shared/ is pure, electron/node and electron/app never
// import electron,
// the renderer reaches main only through the preload bridge.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import layers from './eslint/layers.mjs';

const nodeBuiltins = [
  'fs',
  'fs/*',
  'child_process',
  'os',
  'path',
  'net',
  'http',
  'https',
  'crypto',
  'process',
];
const nodePrefixed = { group: ['node:*'], message: 'shared/ and renderer/ must not use Node APIs.' };
const electronBan = {
  name: 'electron',
  message: 'Only electron/main (glue) and electron/preload may import electron.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'tests/.artifacts/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    // docs/DESIGN.md 'Layers': which runtime folder may import which (eslint/layers.mjs).
    files: ['shared/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronBan,
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure: no I/O.' })),
          ],
          patterns: [nodePrefixed],
        },
      ],
    },
  },
  {
    files: ['electron/node/**/*.ts', 'electron/app/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronBan] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronBan,
            ...nodeBuiltins.map((name) => ({ name, message: 'renderer: use window.elevate.' })),
          ],
          patterns: [nodePrefixed],
        },
      ],
    },
  },
);
