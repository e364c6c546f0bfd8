import { createHash, randomBytes } from 'node:crypto';
import { deriveSeed } from '../../core/seeding/seeded-random';
import type { World } from '../../core/world/world';
import type { SimRepository, SimUser } from '../../core/world/world-model';
import type { BitbucketDcPermission, BitbucketDcSeed } from './bitbucket-dc-seed';

export type BitbucketDcTokenKind = 'personal' | 'project' | 'repository';

/** A service user: what Data Center creates behind every project and repository token. */
export interface BitbucketDcServiceUser {
  id: number;
  name: string;
  displayName: string;
}

export interface BitbucketDcCredential {
  /** The name tests use (`bbdc-alice`). */
  name: string;
  value: string;
  /** Data Center's 12-digit token id (also encoded at the start of the token). */
  id: string;
  kind: BitbucketDcTokenKind;
  permissions: BitbucketDcPermission[];
  /** Personal tokens: their user. */
  userId: number | null;
  /** Project and repository tokens: the upper-case project key. */
  project: string | null;
  /** Repository tokens: the lower-case slug. */
  repository: string | null;
  /** Project and repository tokens act as this service user. */
  serviceUser: BitbucketDcServiceUser | null;
  /** OAuth access tokens: real epoch ms from which the token is refused. */
  expiresAtMs?: number;
}

export type Level = 0 | 1 | 2 | 3;
export const NONE: Level = 0;
export const READ: Level = 1;
export const WRITE: Level = 2;
export const ADMIN: Level = 3;

/** Service users' ids start here, far from the seeded users'. */
const SERVICE_USER_ID_BASE = 90_001;

/** Data Center's facts that the shared world model has no place for: token ids and kinds, service users. */
export class BitbucketDcDirectory {
  private readonly byValue = new Map<string, BitbucketDcCredential>();
  private readonly byName = new Map<string, BitbucketDcCredential>();
  private readonly serviceUsersByName = new Map<string, BitbucketDcServiceUser>();

  constructor(
    private readonly seedString: string,
    private readonly world: World,
  ) {}

  load(seed: BitbucketDcSeed): void {
    for (const user of seed.users) {
      const simUser = this.world.user(user.login);
      if (!simUser) throw new Error(`Bitbucket DC user ${user.login} was not seeded`);
      for (const token of user.tokens ?? []) {
        this.add({ name: token.name, kind: 'personal', permissions: token.permissions ?? ['PROJECT_READ', 'REPO_READ'], userId: simUser.id, project: null, repository: null, value: token.value });
      }
    }
    for (const project of seed.projects) {
      for (const token of project.accessTokens ?? []) {
        this.add({
          name: token.name,
          kind: token.kind,
          permissions: token.permissions ?? (token.kind === 'project' ? ['PROJECT_READ', 'REPO_READ'] : ['REPO_READ']),
          userId: null,
          project: project.key,
          repository: token.kind === 'repository' ? (token.repository?.toLowerCase() ?? null) : null,
          value: token.value,
        });
      }
    }
  }

  credentialByValue(value: string): BitbucketDcCredential | undefined {
    return this.byValue.get(value);
  }

  credentials(): BitbucketDcCredential[] {
    return [...this.byName.values()];
  }

  /** Budgets belong to the user behind a personal token, and to a project or repository token itself. */
  identityOf(credential: BitbucketDcCredential): string {
    if (credential.userId === null) return `bitbucket-dc:token:${credential.id}`;
    return `bitbucket-dc:user:${this.world.requireUserById(credential.userId).login}`;
  }

  serviceUser(name: string): BitbucketDcServiceUser | undefined {
    return this.serviceUsersByName.get(name.toLowerCase());
  }

  /** The highest level a token allows for projects or for repositories. */
  static cap(permissions: readonly BitbucketDcPermission[], prefix: 'PROJECT' | 'REPO'): Level {
    let level: Level = NONE;
    for (const p of permissions) {
      if (!p.startsWith(`${prefix}_`)) continue;
      const l: Level = p.endsWith('_ADMIN') ? ADMIN : p.endsWith('_WRITE') ? WRITE : READ;
      if (l > level) level = l;
    }
    return level;
  }

  /** What the credential may do on a project (PROJECT_READ and up), before repository-only grants. */
  projectLevel(credential: BitbucketDcCredential, projectKey: string): Level {
    const key = projectKey.toUpperCase();
    const cap = BitbucketDcDirectory.cap(credential.permissions, 'PROJECT');
    if (credential.kind === 'repository') return NONE;
    if (credential.kind === 'project') return credential.project === key ? cap : NONE;
    return Math.min(cap, this.userProjectLevel(credential.userId ?? -1, key)) as Level;
  }

  /** What the credential may do on a repository; project permissions imply the same on its repositories. */
  repositoryLevel(credential: BitbucketDcCredential, repo: SimRepository): Level {
    const key = repo.owner.login.toUpperCase();
    const cap = Math.max(BitbucketDcDirectory.cap(credential.permissions, 'REPO'), BitbucketDcDirectory.cap(credential.permissions, 'PROJECT')) as Level;
    if (credential.kind === 'repository') return credential.project === key && credential.repository === repo.name.toLowerCase() ? BitbucketDcDirectory.cap(credential.permissions, 'REPO') : NONE;
    if (credential.kind === 'project') return credential.project === key ? cap : NONE;
    return Math.min(cap, this.userProjectLevel(credential.userId ?? -1, key)) as Level;
  }

  /** PROJECT_VIEW: project read, or read access to any of its repositories. */
  canViewProject(credential: BitbucketDcCredential, projectKey: string): boolean {
    if (this.projectLevel(credential, projectKey) >= READ) return true;
    return this.world.repositoriesOf(projectKey).some((r) => this.repositoryLevel(credential, r) >= READ);
  }

  projectId(key: string): number {
    return 1 + (Number.parseInt(deriveSeed(this.seedString, 'bitbucket-dc-project', key.toUpperCase()).slice(0, 6), 16) % 9999);
  }

  private userProjectLevel(userId: number, key: string): Level {
    const org = this.world.organization(key);
    const role = org?.members.get(userId);
    if (!org || !role) return NONE;
    if (role === 'admin') return ADMIN;
    return org.memberPermission === 'write' ? WRITE : READ;
  }

  private add(input: Omit<BitbucketDcCredential, 'id' | 'serviceUser' | 'value'> & { value: string | undefined }): void {
    if (this.byName.has(input.name)) throw new Error(`Token name ${input.name} defined twice`);
    const id = String(100_000_000_000 + (Number.parseInt(deriveSeed(this.seedString, 'bitbucket-dc-token-id', input.name).slice(0, 12), 16) % 900_000_000_000));
    // Data Center tokens: `BBDC-` and base64 of "<token id>:<random bytes>".
    const random = createHash('sha256').update(`${this.seedString}\u0000bitbucket-dc-token\u0000${input.name}`).digest().subarray(0, 20);
    const value = input.value ?? `BBDC-${Buffer.concat([Buffer.from(`${id}:`), random]).toString('base64')}`;
    if (this.byValue.has(value)) throw new Error(`Token value of ${input.name} is not unique`);
    let serviceUser: BitbucketDcServiceUser | null = null;
    if (input.kind !== 'personal') {
      serviceUser = { id: SERVICE_USER_ID_BASE + this.serviceUsersByName.size, name: `bot-${id}`, displayName: input.name };
      this.serviceUsersByName.set(serviceUser.name, serviceUser);
    }
    const credential: BitbucketDcCredential = { ...input, id, value, serviceUser };
    this.byName.set(credential.name, credential);
    this.byValue.set(value, credential);
  }

  /** An OAuth access token of a user (an application link's grant): Bearer, like a personal token, until it expires. */
  issueOAuthToken(userId: number, permissions: BitbucketDcPermission[], expiresAtMs: number | null): string {
    const id = String(200_000_000_000 + this.byValue.size);
    const value = randomBytes(32).toString('base64url');
    const credential: BitbucketDcCredential = {
      name: `oauth-${id}`, value, id, kind: 'personal', permissions, userId, project: null, repository: null, serviceUser: null,
      ...(expiresAtMs === null ? {} : { expiresAtMs }),
    };
    this.byValue.set(value, credential);
    return value;
  }

  userOf(credential: BitbucketDcCredential): SimUser | undefined {
    return credential.userId === null ? undefined : this.world.userById(credential.userId);
  }
}
