const { createJestConfig } = require('../../../jest.preset.cjs');

module.exports = createJestConfig(__dirname, 'testing-provider-simulator');
