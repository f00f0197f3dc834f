const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const regexp = require('eslint-plugin-regexp');

// What the pure core may not import: anything that reaches a disk, a network, a process or a queue.
const IO_MODULES = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'tls', 'node:tls', 'http', 'node:http',
  'https', 'node:https', 'dgram', 'node:dgram', 'dns', 'node:dns', 'child_process', 'node:child_process',
  'worker_threads', 'node:worker_threads', 'cluster', 'node:cluster',
  'ioredis', 'bullmq', 'imapflow', 'nodemailer', 'fastify', 'pino',
];
const ioBoundary = (where) => ({
  '@typescript-eslint/no-restricted-imports': ['error', {
    paths: IO_MODULES.map((name) => ({ name, message: `${where} is pure: take data, return data; I/O lives in src/mail, src/store, src/http or workers/.` })),
    patterns: [{ group: ['**/store/*', '**/mail/imap*', '**/mail/smtp*', '**/mail/mailbox-watcher*', '**/http/*', '**/workers/*'], message: `${where} is pure: it may not import the store, IMAP/SMTP, HTTP or workers.`, allowTypeImports: true }],
  }],
});

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**/*.js', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings in src/config only, at the entry points.' }],
    },
  },
  // Every regular expression that runs on applicant text must be linear (issue 8 §3):
  // a super-linear pattern is a lint error, not a review comment.
  {
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-misleading-capturing-group': 'error',
    },
  },
  { files: ['src/domain/**/*.ts'], rules: ioBoundary('src/domain') },
  { files: ['src/rules/**/*.ts'], rules: ioBoundary('src/rules') },
  { files: ['src/forms/**/*.ts'], rules: ioBoundary('src/forms') },
  { files: ['src/report/**/*.ts'], rules: ioBoundary('src/report') },
  { files: ['src/config/**/*.ts', 'src/cli/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'fixtures/**/*.ts'], rules: { 'no-restricted-properties': 'off' } },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' }, languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } } },
);
