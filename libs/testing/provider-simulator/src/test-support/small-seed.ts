import type { SeedConfig } from '../core/seeding/seed-config';

/**
 * A small world for integration tests: org `acme` owned by `alice`, member `bob` (read), outsider
 * `mallory`, `erin` with a fine-grained token, `nora` with a classic token lacking `repo`.
 */
export function smallSeed(repositories = 4): SeedConfig {
  return {
    seed: 'integration',
    users: [
      { login: 'alice', tokens: [{ name: 'alice' }, { name: 'alice-2' }] },
      { login: 'bob', tokens: [{ name: 'bob' }] },
      { login: 'erin', tokens: [{ name: 'erin-fine-grained', kind: 'fine-grained', organizations: ['acme'] }] },
      { login: 'nora', tokens: [{ name: 'nora-no-repo-scope', scopes: ['read:org'] }] },
      { login: 'mallory', tokens: [{ name: 'mallory' }] },
    ],
    organizations: [
      {
        login: 'acme',
        owners: ['alice'],
        members: ['bob', 'erin', 'nora'],
        repositories: [
          { name: 'lfs-wiki', private: true, lfsObjects: 3, wiki: true, branches: 2, commitsPerBranch: 3, tags: 2 },
          { name: 'public-one', private: false },
        ],
        generate: { count: repositories, namePrefix: 'svc', privateEvery: 2 },
      },
    ],
  };
}
