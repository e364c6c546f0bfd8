// Shared Jest settings: SWC transform (with decorator metadata for Nest/TypeORM) and the ESM-only
// packages that Jest on Node < 24.9 cannot require(), so they are transpiled too.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const esmOnly = [
  '@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', '@borewit', 'uint8array-extras',
  '@octokit', 'before-after-hook', 'universal-github-app-jwt', 'universal-user-agent', 'content-type',
  'openapi-fetch', 'openapi-typescript-helpers', 'toad-cache', 'fast-content-type-parse', 'json-with-bigint',
];

/**
 * @param {string} projectDir absolute path of the project
 * @param {string} displayName
 * @param {Partial<import('jest').Config>} [overrides]
 */
function createJestConfig(projectDir, displayName, overrides = {}) {
  return {
    displayName,
    rootDir: projectDir,
    testEnvironment: 'node',
    resolver: '@nx/jest/plugins/resolver',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { ...swc, swcrc: false }] },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    testTimeout: 30_000,
    ...overrides,
  };
}

module.exports = { createJestConfig };
