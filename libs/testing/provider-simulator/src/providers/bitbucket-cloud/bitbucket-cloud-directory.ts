import { createHash, randomBytes } from 'node:crypto';
import { base62FromSeed, deriveSeed } from '../../core/seeding/seeded-random';
import type { World } from '../../core/world/world';
import type { SimRepository, SimUser } from '../../core/world/world-model';
import {
  BITBUCKET_CLOUD_DEFAULT_ACCESS_TOKEN_SCOPES, BITBUCKET_CLOUD_DEFAULT_API_TOKEN_SCOPES, bitbucketCloudProjects, bitbucketCloudRepositoryTraits,
  type BitbucketCloudRepositoryTraits, type BitbucketCloudSeed,
} from './bitbucket-cloud-seed';

/** What Bitbucket Cloud sends in `x-credential-type` (app passwords never get that far: they answer 401). */
export type BitbucketCloudCredentialType = 'api_token' | 'app_password' | 'repo_access_token' | 'project_access_token' | 'workspace_access_token' | 'oauth';

export interface BitbucketCloudCredential {
  /** The name tests use (`bbc-alice`). */
  name: string;
  value: string;
  type: BitbucketCloudCredentialType;
  scopes: string[];
  /** API tokens and app passwords: the user they belong to. */
  userId: number | null;
  /** Access tokens act as a user of their own: this is its uuid (and their budget's id). */
  uuid: string;
  /** Access tokens: the lower-case workspace slug they are bound to. */
  workspace: string | null;
  /** Project tokens: their project key. */
  project: string | null;
  /** Repository tokens: their repository's lower-case slug. */
  repository: string | null;
  /** OAuth access tokens: real epoch ms from which the token is refused. */
  expiresAtMs?: number;
}

export interface BitbucketCloudProject {
  key: string;
  name: string;
  uuid: string;
}

export interface BitbucketCloudWorkspaceInfo {
  slug: string;
  uuid: string;
  seats: number;
  projects: BitbucketCloudProject[];
  issueTrackerEvery: number;
}

/**
 * Bitbucket Cloud's facts that the shared world model has no place for: account uuids, workspace
 * seats and projects, which repositories have an issue tracker, and the credentials.
 */
export class BitbucketCloudDirectory {
  private readonly byValue = new Map<string, BitbucketCloudCredential>();
  private readonly byName = new Map<string, BitbucketCloudCredential>();
  private readonly workspaces = new Map<string, BitbucketCloudWorkspaceInfo>();
  /** By repository id. */
  private readonly traits = new Map<number, BitbucketCloudRepositoryTraits>();

  constructor(
    private readonly seedString: string,
    private readonly world: World,
  ) {}

  /** Reads the seed part after the world was seeded from it. */
  load(seed: BitbucketCloudSeed): void {
    for (const ws of seed.workspaces) {
      const slug = ws.slug.toLowerCase();
      this.workspaces.set(slug, {
        slug: ws.slug,
        uuid: this.uuid('workspace', slug),
        seats: ws.seats ?? 5,
        projects: bitbucketCloudProjects(ws).map((p) => ({ key: p.key, name: p.name ?? p.key, uuid: this.uuid('project', slug, p.key) })),
        issueTrackerEvery: ws.issueTrackerEvery ?? 2,
      });
      for (const [repoSlug, traits] of bitbucketCloudRepositoryTraits(ws)) {
        const repo = this.world.requireRepository(ws.slug, repoSlug);
        this.traits.set(repo.id, traits);
      }
      for (const token of ws.accessTokens ?? []) {
        const type = token.kind === 'repository' ? 'repo_access_token' : token.kind === 'project' ? 'project_access_token' : 'workspace_access_token';
        this.add({
          name: token.name,
          value: token.value ?? this.secret('ATCTT3xFfGN0', token.name),
          type,
          scopes: token.scopes ?? [...BITBUCKET_CLOUD_DEFAULT_ACCESS_TOKEN_SCOPES],
          userId: null,
          uuid: this.uuid('access-token', token.name),
          workspace: slug,
          project: token.kind === 'project' ? (token.project ?? null) : null,
          repository: token.kind === 'repository' ? (token.repository?.toLowerCase() ?? null) : null,
        });
      }
    }
    for (const user of seed.users) {
      const simUser = this.world.user(user.login);
      if (!simUser) throw new Error(`Bitbucket Cloud user ${user.login} was not seeded`);
      for (const token of user.tokens ?? []) {
        const appPassword = token.kind === 'app-password';
        this.add({
          name: token.name,
          value: token.value ?? (appPassword ? `ATBB${base62FromSeed(28, this.seedString, 'bitbucket-cloud-app-password', token.name)}${this.checksum(token.name)}` : this.secret('ATATT3xFfGF0', token.name)),
          type: appPassword ? 'app_password' : 'api_token',
          scopes: appPassword ? [] : (token.scopes ?? [...BITBUCKET_CLOUD_DEFAULT_API_TOKEN_SCOPES]),
          userId: simUser.id,
          uuid: this.userUuid(simUser),
          workspace: null,
          project: null,
          repository: null,
        });
      }
    }
  }

  credentialByValue(value: string): BitbucketCloudCredential | undefined {
    return this.byValue.get(value);
  }

  credentials(): BitbucketCloudCredential[] {
    return [...this.byName.values()];
  }

  /** Budgets belong to the user behind an API token, to an access token itself, and to an OAuth consumer. */
  identityOf(credential: BitbucketCloudCredential): string {
    if (credential.type === 'oauth') return `bitbucket-cloud:consumer:${credential.uuid}`;
    return credential.userId === null ? `bitbucket-cloud:token:${credential.uuid}` : `bitbucket-cloud:user:${credential.uuid}`;
  }

  /** An OAuth access token of a consumer for a user; `uuid` names the consumer (its budget). */
  issueOAuthToken(userId: number, consumerKey: string, scopes: string[], expiresAtMs: number | null): string {
    const value = randomBytes(32).toString('base64url');
    this.byValue.set(value, {
      name: `oauth-${this.byValue.size + 1}`, value, type: 'oauth', scopes: [...scopes], userId, uuid: this.uuid('oauth-consumer', consumerKey),
      workspace: null, project: null, repository: null, ...(expiresAtMs === null ? {} : { expiresAtMs }),
    });
    return value;
  }

  userUuid(user: SimUser): string {
    return this.uuid('user', user.login.toLowerCase());
  }

  /** Atlassian account ids look like `557058:<uuid>`. */
  accountId(user: SimUser): string {
    return `557058:${this.userUuid(user).slice(1, -1)}`;
  }

  workspace(slug: string): BitbucketCloudWorkspaceInfo | undefined {
    return this.workspaces.get(slug.toLowerCase());
  }

  traitsOf(repo: SimRepository): BitbucketCloudRepositoryTraits {
    let traits = this.traits.get(repo.id);
    if (!traits) {
      // A repository added during a test: the workspace's first project, with an issue tracker unless the workspace has none.
      const ws = this.workspace(repo.owner.login);
      traits = { projectKey: ws?.projects[0]?.key ?? 'PROJ', hasIssues: (ws?.issueTrackerEvery ?? 2) > 0 };
      this.traits.set(repo.id, traits);
    }
    return traits;
  }

  /** Project and issue tracker of a repository created or changed through the API. */
  setTraits(repo: SimRepository, traits: BitbucketCloudRepositoryTraits): void {
    this.traits.set(repo.id, traits);
  }

  project(repo: SimRepository): BitbucketCloudProject {
    const key = this.traitsOf(repo).projectKey;
    const project = this.workspace(repo.owner.login)?.projects.find((p) => p.key === key);
    return project ?? { key, name: key, uuid: this.uuid('project', repo.owner.login.toLowerCase(), key) };
  }

  repositoryUuid(repo: SimRepository): string {
    return this.uuid('repository', String(repo.id));
  }

  /** Stable `{8-4-4-4-12}` uuids, as Bitbucket prints them (with braces). */
  uuid(...parts: string[]): string {
    const hex = deriveSeed(this.seedString, 'bitbucket-cloud-uuid', ...parts);
    return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}}`;
  }

  private add(credential: BitbucketCloudCredential): void {
    if (this.byName.has(credential.name)) throw new Error(`Token name ${credential.name} defined twice`);
    if (this.byValue.has(credential.value)) throw new Error(`Token value of ${credential.name} is not unique`);
    this.byName.set(credential.name, credential);
    this.byValue.set(credential.value, credential);
  }

  /** Atlassian token shape: a product prefix, a long random body, `=` and an 8-hex checksum. */
  private secret(prefix: string, name: string): string {
    return `${prefix}${base62FromSeed(160, this.seedString, 'bitbucket-cloud-token', name)}=${this.checksum(name)}`;
  }

  private checksum(name: string): string {
    return createHash('sha256').update(`${this.seedString}\u0000${name}`).digest('hex').slice(0, 8).toUpperCase();
  }
}
