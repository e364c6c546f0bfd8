import { bitbucketCloudSeedNames, validateBitbucketCloudSeed } from '../../providers/bitbucket-cloud/bitbucket-cloud-seed';
import { bitbucketDcSeedNames, validateBitbucketDcSeed } from '../../providers/bitbucket-dc/bitbucket-dc-seed';
import { gitlabSeedNames, validateGitlabSeed } from '../../providers/gitlab/gitlab-seed-validation';
import type { MetadataSeed, OrganizationSeed, RepositoryBatchSeed, RepositorySeed, SeedConfig, SeedPartValidators, TokenSeed, UserSeed } from './seed-config';

export class SeedConfigError extends Error {}

type Obj = Record<string, unknown>;

/**
 * Checks a seed config read from YAML/JSON (or built in code) and returns it typed. Errors name the
 * path of the offending value, e.g. `organizations[0].owners[1]`.
 */
export function validateSeedConfig(input: unknown): SeedConfig {
  const root = object(input, 'seed config');
  const config: SeedConfig = {
    seed: string(root.seed, 'seed'),
    users: array(root.users ?? [], 'users').map((u, i) => user(u, `users[${i}]`)),
    organizations: array(root.organizations ?? [], 'organizations').map((o, i) => organization(o, `organizations[${i}]`)),
  };
  const parts: SeedPartValidators = { repository, batch, fail: (message) => new SeedConfigError(message) };
  if (root.bitbucketCloud !== undefined && root.bitbucketCloud !== null) config.bitbucketCloud = validateBitbucketCloudSeed(root.bitbucketCloud, 'bitbucketCloud', parts);
  if (root.bitbucketDc !== undefined && root.bitbucketDc !== null) config.bitbucketDc = validateBitbucketDcSeed(root.bitbucketDc, 'bitbucketDc', parts);
  if (root.gitlab !== undefined && root.gitlab !== null) config.gitlab = validateGitlabSeed(root.gitlab, 'gitlab', parts);
  crossCheck(config);
  return config;
}

/** Checks one repository spec (for repositories added during a test). */
export function validateRepositorySeed(input: unknown): RepositorySeed {
  return repository(input, 'repository');
}

function user(input: unknown, path: string): UserSeed {
  const o = object(input, path);
  return {
    login: login(o.login, `${path}.login`),
    name: optional(o.name, `${path}.name`, string),
    email: optional(o.email, `${path}.email`, string),
    tokens: optional(o.tokens, `${path}.tokens`, (v, p) => array(v, p).map((t, i) => token(t, `${p}[${i}]`))),
  };
}

function token(input: unknown, path: string): TokenSeed {
  const o = object(input, path);
  const kind = optional(o.kind, `${path}.kind`, (v, p) => oneOf(v, p, ['classic', 'fine-grained'] as const));
  const repositories = optional(o.repositories, `${path}.repositories`, (v, p) => (v === 'all' ? 'all' : strings(v, p)));
  return {
    name: string(o.name, `${path}.name`),
    kind,
    scopes: optional(o.scopes, `${path}.scopes`, strings),
    organizations: optional(o.organizations, `${path}.organizations`, strings),
    repositories,
    permission: optional(o.permission, `${path}.permission`, (v, p) => oneOf(v, p, ['read', 'write'] as const)),
    value: optional(o.value, `${path}.value`, string),
  };
}

function organization(input: unknown, path: string): OrganizationSeed {
  const o = object(input, path);
  return {
    login: login(o.login, `${path}.login`),
    name: optional(o.name, `${path}.name`, string),
    description: optional(o.description, `${path}.description`, string),
    owners: strings(o.owners, `${path}.owners`),
    members: optional(o.members, `${path}.members`, strings),
    memberPermission: optional(o.memberPermission, `${path}.memberPermission`, (v, p) => oneOf(v, p, ['read', 'write'] as const)),
    repositories: optional(o.repositories, `${path}.repositories`, (v, p) => array(v, p).map((r, i) => repository(r, `${p}[${i}]`))),
    generate: optional(o.generate, `${path}.generate`, batch),
  };
}

function repositoryShape(o: Obj, path: string): Omit<RepositorySeed, 'name'> {
  return {
    private: optional(o.private, `${path}.private`, boolean),
    description: optional(o.description, `${path}.description`, string),
    branches: optional(o.branches, `${path}.branches`, count),
    commitsPerBranch: optional(o.commitsPerBranch, `${path}.commitsPerBranch`, count),
    tags: optional(o.tags, `${path}.tags`, count),
    lfsObjects: optional(o.lfsObjects, `${path}.lfsObjects`, count),
    wiki: optional(o.wiki, `${path}.wiki`, boolean),
    metadata: optional(o.metadata, `${path}.metadata`, metadata),
  };
}

function repository(input: unknown, path: string): RepositorySeed {
  const o = object(input, path);
  return { name: repoName(o.name, `${path}.name`), ...repositoryShape(o, path) };
}

function batch(input: unknown, path: string): RepositoryBatchSeed {
  const o = object(input, path);
  const template = optional(o.template, `${path}.template`, (v, p) => {
    const shape = repositoryShape(object(v, p), p);
    delete shape.private;
    delete shape.wiki;
    return shape;
  });
  return {
    count: count(o.count, `${path}.count`),
    namePrefix: optional(o.namePrefix, `${path}.namePrefix`, repoName),
    privateEvery: optional(o.privateEvery, `${path}.privateEvery`, count),
    lfsEvery: optional(o.lfsEvery, `${path}.lfsEvery`, count),
    wikiEvery: optional(o.wikiEvery, `${path}.wikiEvery`, count),
    template,
  };
}

function metadata(input: unknown, path: string): MetadataSeed {
  const o = object(input, path);
  const keys = ['issues', 'pulls', 'commentsPerIssue', 'reviewsPerPull', 'reviewCommentsPerPull', 'releases', 'assetsPerRelease', 'labels', 'milestones'] as const;
  const out: MetadataSeed = {};
  for (const key of keys) {
    const value = optional(o[key], `${path}.${key}`, count);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function crossCheck(config: SeedConfig): void {
  const users = new Set(config.users.map((u) => u.login.toLowerCase()));
  const orgs = new Set(config.organizations.map((o) => o.login.toLowerCase()));
  const tokenNames = new Set<string>();
  config.users.forEach((u, i) =>
    (u.tokens ?? []).forEach((t, j) => {
      if (tokenNames.has(t.name)) throw new SeedConfigError(`users[${i}].tokens[${j}].name: token name "${t.name}" used twice`);
      tokenNames.add(t.name);
      (t.organizations ?? []).forEach((org, k) => {
        if (!orgs.has(org.toLowerCase())) throw new SeedConfigError(`users[${i}].tokens[${j}].organizations[${k}]: unknown organization "${org}"`);
      });
    }),
  );
  config.organizations.forEach((org, i) => {
    if (org.owners.length === 0) throw new SeedConfigError(`organizations[${i}].owners: an organization needs at least one owner`);
    [...org.owners, ...(org.members ?? [])].forEach((member) => {
      if (!users.has(member.toLowerCase())) throw new SeedConfigError(`organizations[${i}]: unknown user "${member}"`);
    });
  });
  // Token names key RunningSimulator.tokens and owners key its repository hooks: unique across providers.
  const owners = new Set([...users, ...orgs]);
  const others = [
    { part: 'bitbucketCloud', names: config.bitbucketCloud ? bitbucketCloudSeedNames(config.bitbucketCloud) : undefined },
    { part: 'bitbucketDc', names: config.bitbucketDc ? bitbucketDcSeedNames(config.bitbucketDc) : undefined },
    { part: 'gitlab', names: config.gitlab ? gitlabSeedNames(config.gitlab) : undefined },
  ];
  for (const { part, names } of others) {
    for (const token of names?.tokens ?? []) {
      if (tokenNames.has(token)) throw new SeedConfigError(`${part}: token name "${token}" used twice`);
      tokenNames.add(token);
    }
    for (const owner of names?.owners ?? []) {
      if (owners.has(owner.toLowerCase())) throw new SeedConfigError(`${part}: "${owner}" is already the name of an account or organization of another provider`);
      owners.add(owner.toLowerCase());
    }
  }
}

function object(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SeedConfigError(`${path}: expected an object`);
  return value as Obj;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new SeedConfigError(`${path}: expected a list`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new SeedConfigError(`${path}: expected a non-empty string`);
  return value;
}

function strings(value: unknown, path: string): string[] {
  return array(value, path).map((v, i) => string(v, `${path}[${i}]`));
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new SeedConfigError(`${path}: expected true or false`);
  return value;
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SeedConfigError(`${path}: expected a whole number >= 0`);
  return value;
}

function login(value: unknown, path: string): string {
  const s = string(value, path);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(s)) throw new SeedConfigError(`${path}: "${s}" is not a valid login`);
  return s;
}

function repoName(value: unknown, path: string): string {
  const s = string(value, path);
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(s) || s.endsWith('.git') || s === '.' || s === '..') {
    throw new SeedConfigError(`${path}: "${s}" is not a valid repository name`);
  }
  return s;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SeedConfigError(`${path}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function optional<T>(value: unknown, path: string, check: (v: unknown, p: string) => T): T | undefined {
  return value === undefined || value === null ? undefined : check(value, path);
}
