// typescript-eslint's recommended rules, plus the type-aware ones that catch a promise nobody
// handles (a background task whose failure would end the process or vanish).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.cache/', 'test-artifacts/', 'demo-output/', 'node_modules/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'module' },
  },
  {
    files: ['test/vscode/runner/**/*.js', 'test/vscode/chat/**/*.js', 'test/vscode/baseline/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Playwright runs these functions inside the page.
  { files: ['test/vscode/e2e/**/*.mjs'], languageOptions: { globals: { ...globals.browser } } },
  // Tests dig through arbitrary JSON answers of the simulator.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/webview/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
);
