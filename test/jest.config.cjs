const { createJestConfig } = require('../jest.preset.cjs');

// whole-stack tests: the five services as real processes built from dist/
module.exports = createJestConfig(__dirname, 'system-tests', {
  testMatch: ['<rootDir>/**/*.spec.ts'],
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 120_000,
  maxWorkers: 1,
});
