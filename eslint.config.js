import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { SERVICES, wall } from './eslint.walls.js';

export default tseslint.config(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', 'coverage/', 'bench/results/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Ports are async so network adapters fit; their in-process adapters have nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...SERVICES.map((service) => wall(service, true)),
  wall('platform', false),
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The browser client: plain ES modules that tsc checks (`// @ts-check`, DOM lib), so they get
    // the type-aware rules too; tsc, not no-undef, knows the browser's globals.
    files: ['src/web/public/**/*.js'],
    languageOptions: { parserOptions: { projectService: true, project: null, tsconfigRootDir: import.meta.dirname } },
    rules: {
      ...Object.assign({}, ...tseslint.configs.recommendedTypeChecked.map((config) => config.rules ?? {})),
      'no-undef': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
