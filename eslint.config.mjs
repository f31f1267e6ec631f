// Lint rules double as the layer rules of DESIGN.md: shared/ is pure, services never import electron,
// the renderer reaches main only through the preload bridge.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
    files: ['electron/main/services/**/*.ts', 'electron/cli/**/*.ts'],
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
