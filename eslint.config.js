// Flat config: typescript-eslint's recommended rules over sources, tests and scripts.
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.nocobase/**', 'storage/**', 'pack/**', '*.js', '!scripts/**', '!bench/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.js', 'bench/**/*.js', '__tests__/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
