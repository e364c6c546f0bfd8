import { UnknownEntityError, type World } from '../../core/world/world';
import type { LabelRecord, MilestoneRecord, SimRepository } from '../../core/world/world-model';
import type { GitlabVisibility } from './gitlab-seed';

/** A GitLab user; project and group access tokens each get a bot user of their own. */
export interface GitlabUser {
  id: number;
  username: string;
  name: string;
  email: string;
  createdAt: string;
  bot: boolean;
  /** For bots: whether a project or a group access token created it, and that project's or group's id. */
  botOf: { kind: 'project' | 'group'; id: number } | null;
}

export interface GitlabGroup {
  id: number;
  path: string;
  fullPath: string;
  name: string;
  /** `Parent Name / Name`, as GitLab shows it. */
  fullName: string;
  description: string;
  visibility: GitlabVisibility;
  parentId: number | null;
  createdAt: string;
  /** Direct members: user id -> access level (10 guest … 50 owner). */
  members: Map<number, number>;
  labels: LabelRecord[];
  milestones: MilestoneRecord[];
}

export interface GitlabProject {
  /** Same as `repo.id`. */
  id: number;
  repo: SimRepository;
  group: GitlabGroup;
  visibility: GitlabVisibility;
  /** Direct members (project access token bots, extra collaborators): user id -> access level. */
  members: Map<number, number>;
  /** Release asset id -> upload secret, for assets served as GitLab uploads; other assets are external links. */
  uploadSecrets: Map<number, string>;
  /** Files uploaded through `POST /projects/:id/uploads`, by secret (see gitlab-write-routes). */
  uploads?: Map<string, GitlabUpload>;
  /** Release links created through the API: asset id -> the URL and type they were given. */
  links?: Map<number, { url: string; linkType: string }>;
  /** The wiki is enabled but empty: its repository is created by the first push to it. */
  wikiEnabled?: boolean;
  /**
   * `last_activity_at` as notes moved it (pushes move `repo.updatedAt`); like GitLab, activity moves
   * it at most once an hour (see `touchProjectActivity`).
   */
  lastActivityAt?: string;
}

/** A file uploaded to a project (markdown attachments, release assets). */
export interface GitlabUpload {
  secret: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export type GitlabTokenKind = 'personal' | 'project' | 'group' | 'oauth';

export interface GitlabToken {
  id: number;
  /** Key in `RunningSimulator.tokens`. */
  name: string;
  kind: GitlabTokenKind;
  value: string;
  userId: number;
  scopes: string[];
  /** Access tokens: `YYYY-MM-DD` or null. */
  expiresAt: string | null;
  /** OAuth tokens: real epoch ms after which the token is refused, or null. */
  oauthExpiresAtMs: number | null;
  revoked: boolean;
  createdAt: string;
}

/**
 * The GitLab side of the simulator: its own users, groups, projects and tokens. Repositories live
 * in a `World` of their own (a `ProviderWorld`; owner = the group's full path), so the core
 * generators, mutations and ref cache work on them unchanged, and GitLab accounts never clash with
 * GitHub's.
 */
export class GitlabWorld {
  private readonly usersById = new Map<number, GitlabUser>();
  private readonly groupsById = new Map<number, GitlabGroup>();
  private readonly groupsByPath = new Map<string, GitlabGroup>();
  private readonly projectsById = new Map<number, GitlabProject>();
  private readonly tokensByValue = new Map<string, GitlabToken>();
  private readonly tokensByName = new Map<string, GitlabToken>();
  private nextGroupId = 9_001;
  private nextTokenId = 70_001;

  constructor(readonly world: World) {}

  allocateGroupId(): number {
    return this.nextGroupId++;
  }

  allocateTokenId(): number {
    return this.nextTokenId++;
  }

  addUser(user: GitlabUser): void {
    this.world.addUser({ id: user.id, login: user.username, name: user.name, email: user.email, createdAt: user.createdAt });
    this.usersById.set(user.id, user);
  }

  addGroup(group: GitlabGroup): void {
    const key = group.fullPath.toLowerCase();
    if (this.groupsByPath.has(key)) throw new Error(`Group ${group.fullPath} defined twice`);
    this.groupsById.set(group.id, group);
    this.groupsByPath.set(key, group);
    // Generated issues and commits are authored by the group's people (inherited members included);
    // mutations pick an admin among them as the author of new commits.
    const members = new Map<number, 'admin' | 'member'>();
    for (const g of this.ancestry(group).reverse()) {
      for (const [userId, level] of g.members) if (!this.usersById.get(userId)?.bot) members.set(userId, level >= 40 ? 'admin' : 'member');
    }
    this.world.addOrganization({
      id: group.id, login: group.fullPath, name: group.fullName, description: group.description, createdAt: group.createdAt, members, memberPermission: 'read',
    });
  }

  /** Registers a project whose repository the world already holds (the shared seeder adds it). */
  addProject(project: GitlabProject): void {
    this.projectsById.set(project.id, project);
  }

  /** Forgets a project; its repository is removed from the world (and disk) by the caller. */
  forgetProject(project: GitlabProject): void {
    this.projectsById.delete(project.id);
  }

  addToken(token: GitlabToken): void {
    if (this.tokensByName.has(token.name)) throw new Error(`Token name ${token.name} defined twice`);
    if (this.tokensByValue.has(token.value)) throw new Error(`Token value of ${token.name} is not unique`);
    this.tokensByName.set(token.name, token);
    this.tokensByValue.set(token.value, token);
  }

  user(id: number): GitlabUser | undefined {
    return this.usersById.get(id);
  }

  requireUser(id: number): GitlabUser {
    const user = this.usersById.get(id);
    if (!user) throw new UnknownEntityError(`No GitLab user with id ${id}`);
    return user;
  }

  userByUsername(username: string): GitlabUser | undefined {
    const user = this.world.user(username);
    return user ? this.usersById.get(user.id) : undefined;
  }

  users(): GitlabUser[] {
    return [...this.usersById.values()];
  }

  group(id: number): GitlabGroup | undefined {
    return this.groupsById.get(id);
  }

  groupByPath(fullPath: string): GitlabGroup | undefined {
    return this.groupsByPath.get(fullPath.toLowerCase());
  }

  /** A group by numeric id or full path, as `:id` in GitLab's API. */
  findGroup(idOrPath: string): GitlabGroup | undefined {
    return /^\d+$/.test(idOrPath) ? this.groupsById.get(Number(idOrPath)) : this.groupByPath(idOrPath);
  }

  groups(): GitlabGroup[] {
    return [...this.groupsById.values()].sort((a, b) => a.id - b.id);
  }

  parent(group: GitlabGroup): GitlabGroup | undefined {
    return group.parentId === null ? undefined : this.groupsById.get(group.parentId);
  }

  /** The group and its ancestors, nearest first. */
  ancestry(group: GitlabGroup): GitlabGroup[] {
    const chain: GitlabGroup[] = [];
    for (let g: GitlabGroup | undefined = group; g; g = this.parent(g)) chain.push(g);
    return chain;
  }

  children(group: GitlabGroup): GitlabGroup[] {
    return this.groups().filter((g) => g.parentId === group.id);
  }

  /** The group and every group below it. */
  descendantsAndSelf(group: GitlabGroup): GitlabGroup[] {
    const out = [group];
    for (const child of this.children(group)) out.push(...this.descendantsAndSelf(child));
    return out;
  }

  project(id: number): GitlabProject | undefined {
    return this.projectsById.get(id);
  }

  projectByPath(fullPath: string): GitlabProject | undefined {
    const slash = fullPath.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const repo = this.world.repository(fullPath.slice(0, slash), fullPath.slice(slash + 1));
    return repo ? this.projectsById.get(repo.id) : undefined;
  }

  /** A project by numeric id or full path (`group/sub/project`), as `:id` in GitLab's API. */
  findProject(idOrPath: string): GitlabProject | undefined {
    return /^\d+$/.test(idOrPath) ? this.projectsById.get(Number(idOrPath)) : this.projectByPath(idOrPath);
  }

  requireProject(fullPath: string, name: string): GitlabProject {
    const project = this.projectByPath(`${fullPath}/${name}`);
    if (!project) throw new UnknownEntityError(`No GitLab project ${fullPath}/${name}`);
    return project;
  }

  /** Projects in id order. */
  projects(): GitlabProject[] {
    return [...this.projectsById.values()].sort((a, b) => a.id - b.id);
  }

  token(value: string): GitlabToken | undefined {
    return this.tokensByValue.get(value);
  }

  tokenByName(name: string): GitlabToken | undefined {
    return this.tokensByName.get(name);
  }

  tokens(): GitlabToken[] {
    return [...this.tokensByName.values()];
  }
}

export function projectFullPath(project: GitlabProject): string {
  return `${project.group.fullPath}/${project.repo.name}`;
}

export function gitlabUserIdentity(user: GitlabUser): string {
  return `gitlab:user:${user.id}`;
}

/** Every API request from one address counts here too: the per-IP limit covers all callers together. */
export function gitlabIpIdentity(ip: string): string {
  return `gitlab:ip:${ip}`;
}

/** Unauthenticated callers, budgeted per address by the unauthenticated throttle. */
export function gitlabAnonymousIdentity(ip: string): string {
  return `gitlab:anonymous:${ip}`;
}

/** The project's `last_activity_at`: the later of its last push and the activity notes recorded. */
export function projectLastActivityAt(project: GitlabProject): string {
  const pushed = project.repo.updatedAt;
  const noted = project.lastActivityAt;
  return noted !== undefined && Date.parse(noted) > Date.parse(pushed) ? noted : pushed;
}
