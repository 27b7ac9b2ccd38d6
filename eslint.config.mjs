import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layers are folders (shared/ARCHITECTURE.md); this table is the rule that keeps them apart.
 * tests/unit/layers.test.ts proves each entry catches a forbidden import.
 */
const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'worker_threads'];
const natives = ['better-sqlite3', '@github/keytar', 'keytar', 'sharp', 'canvas'];

const rendererGroups = ['electron', ...nodeBuiltins, ...natives, '**/main/services/**', '**/main/electron/**', '**/main/host/**', '**/preload/**'];
const rendererMessage = 'The renderer never touches Node or Electron: it uses window.outpost and pure rules from main/core.';

const layer = (files, groups, message, typeOnly = []) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: groups, message },
          ...(typeOnly.length ? [{ group: typeOnly, message, allowTypeImports: true }] : []),
        ],
      },
    ],
  },
});

export const layerRules = [
  layer(['main/core/**/*.ts'], ['electron', 'react', 'react-dom', ...nodeBuiltins, ...natives, '**/services/**', '**/electron/**', '**/host/**', '**/renderer/**'],
    'main/core is pure: no Electron, Node built-ins, native modules, React, or outer layers.'),
  layer(['main/services/**/*.ts'], ['electron', 'react', 'react-dom', '**/electron/**', '**/host/**', '**/renderer/**'],
    'main/services runs in plain Node: no Electron, React, or the glue that hosts it.'),
  layer(['main/host/**/*.ts'], ['electron', 'react', 'react-dom', '**/electron/**', '**/renderer/**'],
    'The browser host is plain Node: no Electron or React.'),
  layer(['main/electron/**/*.ts', 'main/index.ts'], ['react', 'react-dom', '**/host/**', '**/renderer/**'],
    'The Electron glue does not import React, the browser host or the renderer.'),
  layer(['preload/**/*.ts'], ['react', 'react-dom', ...nodeBuiltins, ...natives, '**/services/**', '**/host/**', '**/renderer/**', '**/core/dispatch'],
    'The preload knows only channel names and contract types (use `import type` for the contract).', ['**/core/contract', '**/core/contract/**']),
  layer(['renderer/**/*.{ts,tsx}'], rendererGroups, rendererMessage),
];

const sibling = (feature) => [`../${feature}`, `../${feature}/**`, `../../${feature}`, `../../${feature}/**`, `**/features/${feature}`, `**/features/${feature}/**`];

/**
 * Renderer features do not reach into each other: the post being edited lives in features/post, and
 * the arrows run compose → publishing, editor → post (and calendar → compose), never back.
 */
const feature = (name, forbidden) => ({
  files: [`renderer/src/features/${name}/**/*.{ts,tsx}`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          // Repeated: a later rule for the same files replaces the renderer layer's list instead of adding to it.
          { group: rendererGroups, message: rendererMessage },
          {
            group: forbidden.flatMap(sibling),
            message: `features/${name} must not import ${forbidden.join(', ')}: shared state about the post being edited belongs in features/post.`,
          },
        ],
      },
    ],
  },
});

export const featureRules = [
  feature('post', ['compose', 'publishing', 'editor', 'calendar']),
  feature('publishing', ['compose', 'editor', 'calendar']),
  feature('editor', ['compose', 'publishing', 'calendar']),
  feature('compose', ['calendar']),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'tests/fixtures/**', 'bench-results/**', 'test-results/**', 'tests/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/dom/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Every word the user reads goes through i18next (issue 14): text written straight into JSX, or into
    // the attributes people read (labels, titles, placeholders, alt text), fails the lint.
    files: ['renderer/src/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          // Arguments of calls in JSX are code (t('key'), fieldProps('name')), not words.
          callees: { exclude: ['.*'] },
          // Placeholders show example values (mastodon.social, https://…), not words: they are left out.
          'jsx-attributes': { include: ['aria-label', 'aria-description', 'title', 'alt', 'label'] },
          // Marks and symbols that read the same in every language (×, ›, …, ·, —) are not words.
          words: { exclude: ['^[\\s\\d.,:;!?…·•—–×›‹«»"\'()\\[\\]/+%#@&*|~^_=<>\\u2190-\\u21ff\\u2500-\\u27bf-]*$'] },
        },
      ],
    },
  },
  {
    // Tool configs must export a default.
    files: ['*.config.{ts,mts,mjs}', 'vitest.bench.mts', 'electron.vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...layerRules,
  ...featureRules,
);
