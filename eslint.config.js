import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'docs/',
      'bench/results/',
      'coverage/',
      '.cache/',
      'packages/*/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Typed rules: the type checker knows which expressions are promises. One program for the whole
    // tsconfig.json: 13.5 s against the project service's 19.7 s, and a file outside it is an error.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test runs and reports what test() returns; awaiting it would serialise the file.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // A stranger's plain JavaScript files, run by Node as they are (ESM and CommonJS).
    files: ['packages/*/test/stranger/*.{mjs,cjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', require: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', 'test/**/*.ts'],
    plugins: { layers },
    rules: { 'layers/direction': 'error', 'layers/no-cycle': 'error' },
  },
);
