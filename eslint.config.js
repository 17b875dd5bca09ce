// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Folder import boundaries (CONVENTIONS.md 1.2, docs/architecture.md). Pure layers may not reach
 * Node's I/O, the CLI, reporters, importers or the web UI; nothing may import the CLI.
 */
const pureLayers = ['src/model', 'src/catalogue', 'src/engine', 'src/graph', 'src/risk', 'src/rules', 'src/tracking', 'src/gate'];
const outward = ['**/cli/**', '**/io/**', '**/reporters/**', '**/importers/**', '**/web/**'];
const nodeIo = ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'http', 'https', 'net', 'os', 'process'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-typecheck/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '**/fixtures/**', 'test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-console': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  ...pureLayers.map((dir) => ({
    files: [`${dir}/**/*.ts`],
    ignores: [`${dir}/**/*.test.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: outward, message: `${dir} is a pure layer: it may not import cli, io, reporters, importers or web (see docs/architecture.md).` },
            { group: nodeIo, message: `${dir} is a pure layer: no file system, process or network access (see docs/architecture.md).` },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'pure layers never read process state' }],
    },
  })),
  {
    files: ['src/importers/**/*.ts', 'src/reporters/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/**', '**/web/**', '**/rules/**'], message: 'importers and reporters may not import cli, web or rule internals.' },
            { group: ['node:child_process', 'node:http', 'node:https', 'node:net'], message: 'importers and reporters never spawn or fetch.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cli/**', '../cli/*'], message: 'nothing imports the CLI: it is the outermost shell.' }] },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**', 'tools/**', 'test/**', 'src/**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
