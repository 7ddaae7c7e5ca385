import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'coverage/**', 'data/out/**', 'artefacts/**', 'web/dist/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-bitwise': 'off',
    },
  },
  // The browser code: TypeScript (web/tsconfig.json, DOM lib) already knows its globals.
  { files: ['web/**/*.{ts,tsx}'], rules: { 'no-undef': 'off' } },
  { files: ['web/public/**/*.js'], languageOptions: { globals: { self: 'readonly', clients: 'readonly', caches: 'readonly', fetch: 'readonly', URL: 'readonly', Response: 'readonly' } } },
);
