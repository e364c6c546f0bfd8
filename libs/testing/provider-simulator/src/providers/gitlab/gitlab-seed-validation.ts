import { checker, type SeedChecks } from '../../core/seeding/seed-checks';
import type { SeedPartValidators } from '../../core/seeding/seed-config';
import {
  type GitlabAccessLevelName, type GitlabAccessTokenSeed, type GitlabGroupSeed, type GitlabMemberSeed, type GitlabProjectSeed, type GitlabSeedConfig,
  type GitlabTokenSeed, type GitlabUserSeed, type GitlabVisibility, memberSeed, VISIBILITY_RANK, walkGroups,
} from './gitlab-seed';

const LEVELS = ['guest', 'reporter', 'developer', 'maintainer', 'owner'] as const;
const VISIBILITIES = ['private', 'internal', 'public'] as const;
const PATH_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

/**
 * Checks `SeedConfig.gitlab` and returns it typed; errors name the path of the offending value,
 * e.g. `gitlab.groups[0].subgroups[1].path`.
 */
export function validateGitlabSeed(input: unknown, path: string, validators: SeedPartValidators): GitlabSeedConfig {
  return new GitlabSeedValidator(validators).seed(input, path);
}

/** Token names and repository owners (every group's full path) that must be unique across providers. */
export function gitlabSeedNames(seed: GitlabSeedConfig): { tokens: string[]; owners: string[] } {
  const groups = walkGroups(seed.groups ?? []);
  return {
    tokens: [
      ...(seed.users ?? []).flatMap((u) => (u.tokens ?? []).map((t) => t.name)),
      ...groups.flatMap(({ group }) => [...(group.accessTokens ?? []), ...(group.projects ?? []).flatMap((p) => p.accessTokens ?? [])].map((t) => t.name)),
    ],
    owners: groups.map((g) => g.fullPath),
  };
}

class GitlabSeedValidator {
  private readonly c: SeedChecks;

  constructor(private readonly v: SeedPartValidators) {
    this.c = checker(v);
  }

  seed(input: unknown, path: string): GitlabSeedConfig {
    const root = this.c.object(input, path);
    const config: GitlabSeedConfig = {
      users: this.c.array(root.users ?? [], `${path}.users`).map((u, i) => this.user(u, `${path}.users[${i}]`)),
      groups: this.c.array(root.groups ?? [], `${path}.groups`).map((g, i) => this.group(g, `${path}.groups[${i}]`, true)),
    };
    this.crossCheck(config, path);
    return config;
  }

  private user(input: unknown, path: string): GitlabUserSeed {
    const { c } = this;
    const o = c.object(input, path);
    return {
      username: this.name(o.username, `${path}.username`, 'username'),
      name: c.optional(o.name, `${path}.name`, c.string),
      email: c.optional(o.email, `${path}.email`, c.string),
      tokens: c.optional(o.tokens, `${path}.tokens`, (v, p) => c.array(v, p).map((t, i) => this.token(t, `${p}[${i}]`))),
    };
  }

  private token(input: unknown, path: string): GitlabTokenSeed {
    const { c } = this;
    const o = c.object(input, path);
    return {
      name: c.string(o.name, `${path}.name`),
      kind: c.optional(o.kind, `${path}.kind`, (v, p) => c.oneOf(v, p, ['personal', 'oauth'] as const)),
      scopes: c.optional(o.scopes, `${path}.scopes`, c.strings),
      expiresAt: o.expiresAt === null ? null : c.optional(o.expiresAt, `${path}.expiresAt`, (v, p) => this.date(v, p)),
      expiresInSeconds: c.optional(o.expiresInSeconds, `${path}.expiresInSeconds`, (v, p) => this.positive(v, p)),
      revoked: c.optional(o.revoked, `${path}.revoked`, (v, p) => this.boolean(v, p)),
      value: c.optional(o.value, `${path}.value`, c.string),
    };
  }

  private accessToken(input: unknown, path: string): GitlabAccessTokenSeed {
    const { c } = this;
    const o = c.object(input, path);
    return {
      name: c.string(o.name, `${path}.name`),
      scopes: c.optional(o.scopes, `${path}.scopes`, c.strings),
      accessLevel: c.optional(o.accessLevel, `${path}.accessLevel`, (v, p) => c.oneOf(v, p, LEVELS)),
      expiresAt: o.expiresAt === null ? null : c.optional(o.expiresAt, `${path}.expiresAt`, (v, p) => this.date(v, p)),
      revoked: c.optional(o.revoked, `${path}.revoked`, (v, p) => this.boolean(v, p)),
      value: c.optional(o.value, `${path}.value`, c.string),
    };
  }

  private members(input: unknown, path: string): Array<string | GitlabMemberSeed> {
    const { c } = this;
    return c.array(input, path).map((m, i) => {
      const at = `${path}[${i}]`;
      if (typeof m === 'string') return this.name(m, at, 'username');
      const o = c.object(m, at);
      return { username: this.name(o.username, `${at}.username`, 'username'), accessLevel: c.oneOf<GitlabAccessLevelName>(o.accessLevel, `${at}.accessLevel`, LEVELS) };
    });
  }

  private accessTokens(input: unknown, path: string): GitlabAccessTokenSeed[] {
    return this.c.array(input, path).map((t, i) => this.accessToken(t, `${path}[${i}]`));
  }

  private group(input: unknown, path: string, topLevel: boolean): GitlabGroupSeed {
    const { c } = this;
    const o = c.object(input, path);
    const out: GitlabGroupSeed = {
      path: this.name(o.path, `${path}.path`, 'group path'),
      name: c.optional(o.name, `${path}.name`, c.string),
      description: c.optional(o.description, `${path}.description`, c.string),
      visibility: c.optional(o.visibility, `${path}.visibility`, (v, p) => c.oneOf(v, p, VISIBILITIES)),
      owners: c.optional(o.owners, `${path}.owners`, (v, p) => c.array(v, p).map((u, i) => this.name(u, `${p}[${i}]`, 'username'))),
      members: c.optional(o.members, `${path}.members`, (v, p) => this.members(v, p)),
      labels: c.optional(o.labels, `${path}.labels`, c.count),
      milestones: c.optional(o.milestones, `${path}.milestones`, c.count),
      accessTokens: c.optional(o.accessTokens, `${path}.accessTokens`, (v, p) => this.accessTokens(v, p)),
      projects: c.optional(o.projects, `${path}.projects`, (v, p) => c.array(v, p).map((r, i) => this.project(r, `${p}[${i}]`))),
      generate: c.optional(o.generate, `${path}.generate`, this.v.batch),
      subgroups: c.optional(o.subgroups, `${path}.subgroups`, (v, p) => c.array(v, p).map((g, i) => this.group(g, `${p}[${i}]`, false))),
    };
    if (topLevel && (out.owners ?? []).length === 0) throw this.v.fail(`${path}.owners: a top-level group needs at least one owner`);
    return out;
  }

  private project(input: unknown, path: string): GitlabProjectSeed {
    const { c } = this;
    const { visibility, members, accessTokens, ...rest } = c.object(input, path);
    return {
      ...this.v.repository(rest, path),
      visibility: c.optional(visibility, `${path}.visibility`, (v, p) => c.oneOf(v, p, VISIBILITIES)),
      members: c.optional(members, `${path}.members`, (v, p) => this.members(v, p)),
      accessTokens: c.optional(accessTokens, `${path}.accessTokens`, (v, p) => this.accessTokens(v, p)),
    };
  }

  private crossCheck(config: GitlabSeedConfig, path: string): void {
    const usernames = new Set<string>();
    (config.users ?? []).forEach((u, i) => {
      const key = u.username.toLowerCase();
      if (usernames.has(key)) throw this.v.fail(`${path}.users[${i}].username: "${u.username}" defined twice`);
      usernames.add(key);
    });
    const tokenNames = new Set<string>();
    for (const name of gitlabSeedNames(config).tokens) {
      if (tokenNames.has(name)) throw this.v.fail(`${path}: token name "${name}" used twice`);
      tokenNames.add(name);
    }
    const known = (name: string, where: string): void => {
      if (!usernames.has(name.toLowerCase())) throw this.v.fail(`${path}: unknown user "${name}" in ${where}`);
    };
    const groups = walkGroups(config.groups ?? []);
    const seen = new Set<string>();
    for (const { group, fullPath, parentPath } of groups) {
      if (seen.has(fullPath.toLowerCase()) || usernames.has(fullPath.toLowerCase())) throw this.v.fail(`${path}: namespace "${fullPath}" defined twice`);
      seen.add(fullPath.toLowerCase());
      const parent = groups.find((e) => e.fullPath === parentPath)?.group;
      const visibility: GitlabVisibility = group.visibility ?? 'private';
      if (parent && VISIBILITY_RANK[visibility] > VISIBILITY_RANK[parent.visibility ?? 'private']) {
        throw this.v.fail(`${path}: group "${fullPath}" cannot be more visible than its parent`);
      }
      for (const owner of group.owners ?? []) known(owner, `group "${fullPath}"`);
      for (const m of group.members ?? []) known(memberSeed(m).username, `group "${fullPath}"`);
      const names = new Set<string>((group.subgroups ?? []).map((g) => g.path.toLowerCase()));
      for (const project of group.projects ?? []) {
        const key = project.name.toLowerCase();
        if (names.has(key)) throw this.v.fail(`${path}: "${fullPath}/${project.name}" defined twice`);
        names.add(key);
        const projectVisibility: GitlabVisibility = project.visibility ?? (project.private ? 'private' : visibility);
        if (VISIBILITY_RANK[projectVisibility] > VISIBILITY_RANK[visibility]) {
          throw this.v.fail(`${path}: project "${fullPath}/${project.name}" cannot be more visible than its group`);
        }
        for (const m of project.members ?? []) known(memberSeed(m).username, `project "${fullPath}/${project.name}"`);
      }
    }
  }

  private name(value: unknown, path: string, what: string): string {
    const s = this.c.string(value, path);
    if (!PATH_PATTERN.test(s) || /\.(git|atom)$/.test(s)) throw this.v.fail(`${path}: "${s}" is not a valid GitLab ${what}`);
    return s;
  }

  private boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') throw this.v.fail(`${path}: expected true or false`);
    return value;
  }

  private positive(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw this.v.fail(`${path}: expected a number > 0`);
    return value;
  }

  private date(value: unknown, path: string): string {
    const s = this.c.string(value, path);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) throw this.v.fail(`${path}: expected a date YYYY-MM-DD`);
    return s;
  }
}
