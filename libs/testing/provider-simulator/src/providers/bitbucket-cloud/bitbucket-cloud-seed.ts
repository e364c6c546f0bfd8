import { checker, type SeedChecks } from '../../core/seeding/seed-checks';
import { expandRepositories, type RepositoryBatchSeed, type RepositorySeed, type SeedConfig, type SeedPartValidators } from '../../core/seeding/seed-config';

/**
 * Bitbucket Cloud's part of a seed config: its own people, workspaces (= organizations) with their
 * projects and repositories, and the credentials Bitbucket Cloud knows.
 */
export interface BitbucketCloudSeed {
  users: BitbucketCloudUserSeed[];
  workspaces: BitbucketCloudWorkspaceSeed[];
}

export interface BitbucketCloudUserSeed {
  /** The Bitbucket username (`nickname`). */
  login: string;
  name?: string;
  /** The Atlassian account email; API tokens authenticate with it. Default `<login>@example.com`. */
  email?: string;
  tokens?: BitbucketCloudUserTokenSeed[];
}

export type BitbucketCloudUserTokenKind = 'api-token' | 'app-password';

export interface BitbucketCloudUserTokenSeed {
  /** Unique across the whole seed config: the key in `RunningSimulator.tokens`. */
  name: string;
  /** `api-token` (`ATATT…`, default) or `app-password` (`ATBB…`, refused with 401 since 2026-07-28). */
  kind?: BitbucketCloudUserTokenKind;
  /** API token scopes; default BITBUCKET_CLOUD_DEFAULT_API_TOKEN_SCOPES. */
  scopes?: string[];
  value?: string;
}

export type BitbucketCloudAccessTokenKind = 'repository' | 'project' | 'workspace';

export interface BitbucketCloudAccessTokenSeed {
  name: string;
  kind: BitbucketCloudAccessTokenKind;
  /** Repository tokens: the slug of their repository. */
  repository?: string;
  /** Project tokens: the key of their project. */
  project?: string;
  /** OAuth-style scopes (`repository`, `pullrequest`, `project`, `account`, …); default `repository`, `pullrequest`. */
  scopes?: string[];
  value?: string;
}

export interface BitbucketCloudProjectSeed {
  key: string;
  name?: string;
  /** Slugs of the repositories in this project; repositories no project names are spread over the projects in turn. */
  repositories?: string[];
}

export interface BitbucketCloudWorkspaceSeed {
  /** The workspace id in URLs (lower case letters, digits and `-`). */
  slug: string;
  name?: string;
  owners: string[];
  members?: string[];
  /** What plain members may do on the workspace's repositories. Default `read`. */
  memberPermission?: 'read' | 'write';
  /** Paid seats: above 100, access tokens get 10 more requests per hour per seat (at most 10,000). Default 5. */
  seats?: number;
  /** Default one project `PROJ`. */
  projects?: BitbucketCloudProjectSeed[];
  /** Every Nth repository (in seed order, from 1) has its issue tracker enabled; 1 = all, 0 = none. Default 2. */
  issueTrackerEvery?: number;
  repositories?: RepositorySeed[];
  generate?: RepositoryBatchSeed;
  accessTokens?: BitbucketCloudAccessTokenSeed[];
}

/** What a backup needs: repositories, pull requests, issues, the workspace and who the user is. */
export const BITBUCKET_CLOUD_DEFAULT_API_TOKEN_SCOPES = [
  'read:user:bitbucket',
  'read:workspace:bitbucket',
  'read:repository:bitbucket',
  'read:pullrequest:bitbucket',
  'read:issue:bitbucket',
] as const;

export const BITBUCKET_CLOUD_DEFAULT_ACCESS_TOKEN_SCOPES = ['repository', 'pullrequest'] as const;

/** Per repository: what the shared world model does not know about Bitbucket Cloud. */
export interface BitbucketCloudRepositoryTraits {
  projectKey: string;
  hasIssues: boolean;
}

export function validateBitbucketCloudSeed(input: unknown, path: string, v: SeedPartValidators): BitbucketCloudSeed {
  const check = checker(v);
  const root = check.object(input, path);
  const seed: BitbucketCloudSeed = {
    users: check.array(root.users ?? [], `${path}.users`).map((u, i) => {
      const p = `${path}.users[${i}]`;
      const o = check.object(u, p);
      return {
        login: check.login(o.login, `${p}.login`),
        name: check.optional(o.name, `${p}.name`, check.string),
        email: check.optional(o.email, `${p}.email`, check.string),
        tokens: check.optional(o.tokens, `${p}.tokens`, (value, tp) =>
          check.array(value, tp).map((t, j) => {
            const q = `${tp}[${j}]`;
            const to = check.object(t, q);
            return {
              name: check.string(to.name, `${q}.name`),
              kind: check.optional(to.kind, `${q}.kind`, (k, kp) => check.oneOf(k, kp, ['api-token', 'app-password'] as const)),
              scopes: check.optional(to.scopes, `${q}.scopes`, check.strings),
              value: check.optional(to.value, `${q}.value`, check.string),
            };
          }),
        ),
      };
    }),
    workspaces: check.array(root.workspaces ?? [], `${path}.workspaces`).map((w, i) => workspace(check, v, w, `${path}.workspaces[${i}]`)),
  };
  crossCheck(seed, path, v);
  return seed;
}

function workspace(check: SeedChecks, v: SeedPartValidators, input: unknown, path: string): BitbucketCloudWorkspaceSeed {
  const o = check.object(input, path);
  const slug = check.string(o.slug, `${path}.slug`);
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61})$/.test(slug) || slug === '2.0') throw v.fail(`${path}.slug: "${slug}" is not a valid workspace slug (lower case letters, digits, -)`);
  return {
    slug,
    name: check.optional(o.name, `${path}.name`, check.string),
    owners: check.strings(o.owners, `${path}.owners`),
    members: check.optional(o.members, `${path}.members`, check.strings),
    memberPermission: check.optional(o.memberPermission, `${path}.memberPermission`, (x, p) => check.oneOf(x, p, ['read', 'write'] as const)),
    seats: check.optional(o.seats, `${path}.seats`, check.count),
    projects: check.optional(o.projects, `${path}.projects`, (x, pp) =>
      check.array(x, pp).map((pr, j) => {
        const p = `${pp}[${j}]`;
        const po = check.object(pr, p);
        const key = check.string(po.key, `${p}.key`);
        if (!/^[A-Z][A-Z0-9_]{0,127}$/.test(key)) throw v.fail(`${p}.key: "${key}" is not a valid project key (upper case letters, digits, _)`);
        return { key, name: check.optional(po.name, `${p}.name`, check.string), repositories: check.optional(po.repositories, `${p}.repositories`, check.strings) };
      }),
    ),
    issueTrackerEvery: check.optional(o.issueTrackerEvery, `${path}.issueTrackerEvery`, check.count),
    repositories: check.optional(o.repositories, `${path}.repositories`, (x, p) => check.array(x, p).map((r, j) => v.repository(r, `${p}[${j}]`))),
    generate: check.optional(o.generate, `${path}.generate`, (x, p) => v.batch(x, p)),
    accessTokens: check.optional(o.accessTokens, `${path}.accessTokens`, (x, tp) =>
      check.array(x, tp).map((t, j) => {
        const p = `${tp}[${j}]`;
        const to = check.object(t, p);
        return {
          name: check.string(to.name, `${p}.name`),
          kind: check.oneOf(to.kind, `${p}.kind`, ['repository', 'project', 'workspace'] as const),
          repository: check.optional(to.repository, `${p}.repository`, check.string),
          project: check.optional(to.project, `${p}.project`, check.string),
          scopes: check.optional(to.scopes, `${p}.scopes`, check.strings),
          value: check.optional(to.value, `${p}.value`, check.string),
        };
      }),
    ),
  };
}

function crossCheck(seed: BitbucketCloudSeed, path: string, v: SeedPartValidators): void {
  const users = new Set(seed.users.map((u) => u.login.toLowerCase()));
  const slugs = new Set<string>();
  seed.workspaces.forEach((ws, i) => {
    const p = `${path}.workspaces[${i}]`;
    if (slugs.has(ws.slug)) throw v.fail(`${p}.slug: workspace "${ws.slug}" defined twice`);
    slugs.add(ws.slug);
    if (ws.owners.length === 0) throw v.fail(`${p}.owners: a workspace needs at least one owner`);
    for (const login of [...ws.owners, ...(ws.members ?? [])]) if (!users.has(login.toLowerCase())) throw v.fail(`${p}: unknown user "${login}"`);
    const repos = new Set(expandRepositories({ login: ws.slug, owners: ws.owners, repositories: ws.repositories, generate: ws.generate }).map((r) => r.name.toLowerCase()));
    const keys = new Set(bitbucketCloudProjects(ws).map((pr) => pr.key));
    (ws.projects ?? []).forEach((pr, j) => {
      for (const slug of pr.repositories ?? []) if (!repos.has(slug.toLowerCase())) throw v.fail(`${p}.projects[${j}]: unknown repository "${slug}"`);
    });
    (ws.accessTokens ?? []).forEach((t, j) => {
      const q = `${p}.accessTokens[${j}]`;
      if (t.kind === 'repository' && (!t.repository || !repos.has(t.repository.toLowerCase()))) throw v.fail(`${q}.repository: a repository token needs a repository of the workspace`);
      if (t.kind === 'project' && (!t.project || !keys.has(t.project))) throw v.fail(`${q}.project: a project token needs a project of the workspace`);
    });
  });
  const names = new Set<string>();
  for (const name of bitbucketCloudSeedNames(seed).tokens) {
    if (names.has(name)) throw v.fail(`${path}: token name "${name}" used twice`);
    names.add(name);
  }
}

/** Token names and repository owners this part adds (checked for uniqueness across providers). */
export function bitbucketCloudSeedNames(seed: BitbucketCloudSeed): { tokens: string[]; owners: string[] } {
  return {
    tokens: [...seed.users.flatMap((u) => (u.tokens ?? []).map((t) => t.name)), ...seed.workspaces.flatMap((w) => (w.accessTokens ?? []).map((t) => t.name))],
    owners: seed.workspaces.map((w) => w.slug),
  };
}

export const DEFAULT_PROJECT = { key: 'PROJ', name: 'Default project' } as const;

/** The workspace's projects (the default project when the seed names none). */
export function bitbucketCloudProjects(ws: BitbucketCloudWorkspaceSeed): BitbucketCloudProjectSeed[] {
  return ws.projects && ws.projects.length > 0 ? ws.projects : [{ key: DEFAULT_PROJECT.key, name: DEFAULT_PROJECT.name }];
}

/** The shared world's view of this part: workspaces as organizations, Bitbucket users as users (no GitHub tokens). */
export function bitbucketCloudWorldConfig(seedString: string, seed: BitbucketCloudSeed): SeedConfig {
  return {
    seed: `${seedString}\u0000bitbucket-cloud`,
    users: seed.users.map((u) => ({ login: u.login, name: u.name, email: u.email })),
    organizations: seed.workspaces.map((w) => ({
      login: w.slug,
      name: w.name ?? w.slug,
      owners: w.owners,
      members: w.members,
      memberPermission: w.memberPermission,
      // Generated like GitHub's; the generated releases' assets are served as downloads, issues only with a tracker.
      repositories: w.repositories,
      generate: w.generate,
    })),
  };
}

/** Project and issue tracker of every seeded repository of a workspace, by lower-case slug. */
export function bitbucketCloudRepositoryTraits(ws: BitbucketCloudWorkspaceSeed): Map<string, BitbucketCloudRepositoryTraits> {
  const projects = bitbucketCloudProjects(ws);
  const named = new Map<string, string>();
  for (const project of projects) for (const slug of project.repositories ?? []) named.set(slug.toLowerCase(), project.key);
  const every = ws.issueTrackerEvery ?? 2;
  const traits = new Map<string, BitbucketCloudRepositoryTraits>();
  let turn = 0;
  expandRepositories({ login: ws.slug, owners: ws.owners, repositories: ws.repositories, generate: ws.generate }).forEach((repo, i) => {
    const slug = repo.name.toLowerCase();
    const projectKey = named.get(slug) ?? projects[turn++ % projects.length].key;
    traits.set(slug, { projectKey, hasIssues: every > 0 && (i + 1) % every === 0 });
  });
  return traits;
}
