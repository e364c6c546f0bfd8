const { createJestConfig } = require('../../jest.preset.cjs');

// The chart as code: helm (extracted from an npm package, never installed) lints and renders it
// offline; every rendered object is validated with kubernetes-models; the chart's promises are tested.
module.exports = createJestConfig(__dirname, 'chart-repovault', {
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 120_000,
});
