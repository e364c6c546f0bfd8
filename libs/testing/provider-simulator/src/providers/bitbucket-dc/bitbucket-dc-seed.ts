import { checker, type SeedChecks } from '../../core/seeding/seed-checks';
import { expandRepositories, type RepositoryBatchSeed, type RepositorySeed, type SeedConfig, type SeedPartValidators } from '../../core/seeding/seed-config';

/**
 * Bitbucket Data Center's part of a seed config: one instance with its own users, projects
 * (= organizations, keyed by project key) and HTTP access tokens.
 */
export interface BitbucketDcSeed {
  users: BitbucketDcUserSeed[];
  projects: BitbucketDcProjectSeed[];
}

export const BITBUCKET_DC_PERMISSIONS = ['PROJECT_READ', 'PROJECT_WRITE', 'PROJECT_ADMIN', 'REPO_READ', 'REPO_WRITE', 'REPO_ADMIN'] as const;
export type BitbucketDcPermission = (typeof BITBUCKET_DC_PERMISSIONS)[number];

export interface BitbucketDcUserSeed {
  /** The user name and slug (lower case). */
  login: string;
  name?: string;
  email?: string;
  /** Personal HTTP access tokens. */
  tokens?: BitbucketDcTokenSeed[];
}

export interface BitbucketDcTokenSeed {
  /** Unique across the whole seed config: the key in `RunningSimulator.tokens`. */
  name: string;
  /** Default `PROJECT_READ`, `REPO_READ` (repository tokens: `REPO_READ`). */
  permissions?: BitbucketDcPermission[];
  value?: string;
}

export interface BitbucketDcAccessTokenSeed extends BitbucketDcTokenSeed {
  kind: 'project' | 'repository';
  /** Repository tokens: the slug of their repository. */
  repository?: string;
}

export interface BitbucketDcProjectSeed {
  /** Upper-case letters and digits, e.g. `ENG`. */
  key: string;
  name?: string;
  description?: string;
  /** PROJECT_ADMIN. */
  owners: string[];
  members?: string[];
  /** Plain members get PROJECT_READ (`read`, default) or PROJECT_WRITE (`write`). */
  memberPermission?: 'read' | 'write';
  /** Data Center has no wikis: `wiki` is ignored. */
  repositories?: RepositorySeed[];
  generate?: RepositoryBatchSeed;
  /** Project and repository HTTP access tokens. */
  accessTokens?: BitbucketDcAccessTokenSeed[];
}

export function validateBitbucketDcSeed(input: unknown, path: string, v: SeedPartValidators): BitbucketDcSeed {
  const check = checker(v);
  const root = check.object(input, path);
  const permissions = (value: unknown, p: string): BitbucketDcPermission[] => check.array(value, p).map((x, i) => check.oneOf(x, `${p}[${i}]`, BITBUCKET_DC_PERMISSIONS));
  const token = (t: unknown, p: string): BitbucketDcTokenSeed => {
    const o = check.object(t, p);
    return { name: check.string(o.name, `${p}.name`), permissions: check.optional(o.permissions, `${p}.permissions`, permissions), value: check.optional(o.value, `${p}.value`, check.string) };
  };
  const seed: BitbucketDcSeed = {
    users: check.array(root.users ?? [], `${path}.users`).map((u, i) => {
      const p = `${path}.users[${i}]`;
      const o = check.object(u, p);
      const login = check.login(o.login, `${p}.login`);
      if (login !== login.toLowerCase()) throw v.fail(`${p}.login: Data Center user names here are lower case (they are also the slugs)`);
      return {
        login,
        name: check.optional(o.name, `${p}.name`, check.string),
        email: check.optional(o.email, `${p}.email`, check.string),
        tokens: check.optional(o.tokens, `${p}.tokens`, (x, tp) => check.array(x, tp).map((t, j) => token(t, `${tp}[${j}]`))),
      };
    }),
    projects: check.array(root.projects ?? [], `${path}.projects`).map((pr, i) => project(check, v, pr, `${path}.projects[${i}]`, token)),
  };
  crossCheck(seed, path, v);
  return seed;
}

function project(check: SeedChecks, v: SeedPartValidators, input: unknown, path: string, token: (t: unknown, p: string) => BitbucketDcTokenSeed): BitbucketDcProjectSeed {
  const o = check.object(input, path);
  const key = check.string(o.key, `${path}.key`);
  if (!/^[A-Z][A-Z0-9]{0,38}$/.test(key)) throw v.fail(`${path}.key: "${key}" is not a valid project key here (upper case letters and digits)`);
  return {
    key,
    name: check.optional(o.name, `${path}.name`, check.string),
    description: check.optional(o.description, `${path}.description`, check.string),
    owners: check.strings(o.owners, `${path}.owners`),
    members: check.optional(o.members, `${path}.members`, check.strings),
    memberPermission: check.optional(o.memberPermission, `${path}.memberPermission`, (x, p) => check.oneOf(x, p, ['read', 'write'] as const)),
    repositories: check.optional(o.repositories, `${path}.repositories`, (x, p) => check.array(x, p).map((r, j) => v.repository(r, `${p}[${j}]`))),
    generate: check.optional(o.generate, `${path}.generate`, (x, p) => v.batch(x, p)),
    accessTokens: check.optional(o.accessTokens, `${path}.accessTokens`, (x, tp) =>
      check.array(x, tp).map((t, j) => {
        const p = `${tp}[${j}]`;
        const to = check.object(t, p);
        return {
          ...token(t, p),
          kind: check.oneOf(to.kind, `${p}.kind`, ['project', 'repository'] as const),
          repository: check.optional(to.repository, `${p}.repository`, check.string),
        };
      }),
    ),
  };
}

function crossCheck(seed: BitbucketDcSeed, path: string, v: SeedPartValidators): void {
  const users = new Set(seed.users.map((u) => u.login));
  const keys = new Set<string>();
  seed.projects.forEach((pr, i) => {
    const p = `${path}.projects[${i}]`;
    if (keys.has(pr.key)) throw v.fail(`${p}.key: project "${pr.key}" defined twice`);
    keys.add(pr.key);
    if (pr.owners.length === 0) throw v.fail(`${p}.owners: a project needs at least one owner`);
    for (const login of [...pr.owners, ...(pr.members ?? [])]) if (!users.has(login.toLowerCase())) throw v.fail(`${p}: unknown user "${login}"`);
    const repos = new Set(expandRepositories({ login: pr.key, owners: pr.owners, repositories: pr.repositories, generate: pr.generate }).map((r) => r.name.toLowerCase()));
    (pr.accessTokens ?? []).forEach((t, j) => {
      const q = `${p}.accessTokens[${j}]`;
      if (t.kind === 'repository' && (!t.repository || !repos.has(t.repository.toLowerCase()))) throw v.fail(`${q}.repository: a repository token needs a repository of the project`);
      if (t.kind === 'repository' && (t.permissions ?? []).some((x) => x.startsWith('PROJECT_'))) throw v.fail(`${q}.permissions: repository tokens carry repository permissions only`);
    });
  });
  const names = new Set<string>();
  for (const name of bitbucketDcSeedNames(seed).tokens) {
    if (names.has(name)) throw v.fail(`${path}: token name "${name}" used twice`);
    names.add(name);
  }
}

/** Token names and repository owners this part adds (checked for uniqueness across providers). */
export function bitbucketDcSeedNames(seed: BitbucketDcSeed): { tokens: string[]; owners: string[] } {
  return {
    tokens: [...seed.users.flatMap((u) => (u.tokens ?? []).map((t) => t.name)), ...seed.projects.flatMap((p) => (p.accessTokens ?? []).map((t) => t.name))],
    owners: seed.projects.map((p) => p.key),
  };
}

/** The shared world's view of this part: projects as organizations (login = key), no wikis. */
export function bitbucketDcWorldConfig(seedString: string, seed: BitbucketDcSeed): SeedConfig {
  const noWiki = <T extends { wiki?: boolean }>(r: T): T => ({ ...r, wiki: false });
  return {
    seed: `${seedString}\u0000bitbucket-dc`,
    users: seed.users.map((u) => ({ login: u.login, name: u.name, email: u.email })),
    organizations: seed.projects.map((p) => ({
      login: p.key,
      name: p.name ?? p.key,
      description: p.description ?? `The ${p.name ?? p.key} project`,
      owners: p.owners,
      members: p.members,
      memberPermission: p.memberPermission,
      repositories: p.repositories?.map(noWiki),
      generate: p.generate ? { ...p.generate, wikiEvery: undefined } : undefined,
    })),
  };
}
