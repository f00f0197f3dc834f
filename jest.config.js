// Two projects: `unit` is pure code (fast, no servers); `integration` needs the loopback
// stack that scripts/test.sh starts (Redis, Dovecot, SMTP sink) and the built dist/.
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'integration', testTimeout: 120_000, testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
  ],
};
