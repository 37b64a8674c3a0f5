// Lint enforces the runtime boundaries (see docs/ARCHITECTURE.md):
//   shared/        pure TypeScript: no Node, no DOM, no electron
//   main/core|web  plain Node: never electron
//   main/electron  the only place that may import electron
//   renderer/      browser sandbox: no Node, no electron, no main/
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only main/electron/ may import electron.' };
const noElectronPaths = { group: ['electron/*'], message: 'Only main/electron/ may import electron.' };
const noNode = nodeBuiltins.map((name) => ({ name, message: 'This layer must not use Node built-ins.' }));
// import('…') escapes no-restricted-imports, so dynamic imports of electron or Node are banned by syntax.
const dynamicImport = (pattern, message) => ({ selector: `ImportExpression[source.value=/${pattern}/]`, message });
const noDynamicElectron = dynamicImport('^electron', 'Only main/electron/ may import electron.');
const noDynamicNode = dynamicImport(`^(node:|(${builtinModules.map((m) => m.replace('/', '\\/')).join('|')})($|\\/))`, 'This layer must not use Node built-ins.');

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNode], patterns: [noElectronPaths, { group: ['**/main/**', '**/renderer/**'], message: 'shared/ depends on nothing but itself.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname', 'localStorage', 'fetch'],
      'no-restricted-syntax': ['error', noDynamicElectron, noDynamicNode],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNode], patterns: [noElectronPaths, { group: ['**/main/**'], message: 'The renderer reaches main only through the API client.' }] }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
      'no-restricted-syntax': ['error', noDynamicElectron, noDynamicNode],
    },
  },
  {
    files: ['main/core/**/*.ts', 'main/web/**/*.ts', 'main/cli/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noElectronPaths, { group: ['**/renderer/**', '**/electron/**'], message: 'Core code stays free of UI and Electron.' }] }],
      'no-restricted-syntax': ['error', noDynamicElectron],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noElectronPaths, { group: ['**/renderer/**', '**/electron/**', '**/web/**', '**/cli/**'], message: 'main/core is used by every adapter and depends on none.' }] }],
      'no-restricted-syntax': ['error', noDynamicElectron],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'Main never imports renderer code.' }] }],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{js,mjs}', 'bin/**/*.mjs', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
