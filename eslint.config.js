// Import boundaries keep the layers one-way (docs/design.md §1): engine is tfjs only, charts are
// d3 only, the app is where they meet.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const uiPackages = ['react', 'react-dom', 'react-dom/*', 'react/*', 'zustand', 'zustand/*'];
const d3Packages = ['d3', 'd3-*'];
const tfPackages = ['@tensorflow/*'];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'build',
      'node_modules',
      'public',
      'e2e/artifacts',
      'test-results',
      'bench/out',
      'scratch',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...uiPackages, ...d3Packages], message: 'src/engine is tfjs only.' },
            {
              group: ['**/app/**', '**/charts/**', '**/cli/**'],
              message: 'src/engine imports no other layer.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window'],
    },
  },
  {
    files: ['src/charts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...uiPackages, ...tfPackages], message: 'src/charts is d3 only.' },
            {
              group: ['**/app/**', '**/engine/**', '**/cli/**'],
              message: 'charts are functions of plain data.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...uiPackages, ...d3Packages, '**/app/**', '**/charts/**'],
              message: 'the CLI wraps the engine only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: tfPackages,
              message:
                'the page talks to the engine worker; TensorFlow.js stays out of the main bundle.',
            },
          ],
        },
      ],
    },
  },
);
