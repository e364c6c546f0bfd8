import nx from '@nx/eslint-plugin';

const layers = [
  // an app may use contracts, platform and providers; never another app (Nx forbids app imports)
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:providers'] },
  // contracts import nothing of ours
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  { sourceTag: 'type:providers', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:providers'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:providers', 'type:testing'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:providers', 'type:testing'] },
  // whole-stack tests: only through public contracts and test support, never an app's code
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
];
const scopes = ['gateway', 'org', 'credential', 'plan', 'worker'].map((scope) => ({
  sourceTag: `scope:${scope}`,
  onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'],
}));
const shared = { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] };

/** In test files every layer may also use the testing libs (simulator, helpers); sources may not. */
const boundaries = (extraLayers) => [
  'error',
  {
    allow: [],
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: true,
    checkNestedExternalImports: true,
    depConstraints: [
      ...layers.map((c) => ({ ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, ...extraLayers] })),
      ...scopes,
      shared,
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/coverage', '**/.nx', '**/node_modules', '**/jest.config.cjs', 'jest.preset.cjs', '**/*.d.ts', '**/generated/**', 'tmp/**', 'data/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // the architecture test lints probe files through stdin under __lint_probe__ (never on disk)
        projectService: { allowDefaultProject: ['apps/*/src/__lint_probe__/*.ts', 'libs/*/*/src/__lint_probe__/*.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through @repovault/platform/config only.' },
      ],
    },
  },
  {
    // tests may use the testing libs (simulator, helpers); sources may not
    files: ['**/*.spec.ts', 'apps/**/test/**/*.ts', 'libs/**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testing']) },
  },
  {
    // the config lib is the only reader of the environment; tests and tools may build child environments
    files: ['libs/platform/config/src/**/*.ts', 'libs/testing/**/*.ts', '**/*.spec.ts', '**/test/**/*.ts', 'test/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
];
