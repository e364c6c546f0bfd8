import type { Clock } from '../../core/clock';
import type { ProviderWorld } from '../../core/seeding/provider-world';
import { expandRepositories, type RepositorySeed } from '../../core/seeding/seed-config';
import { base62FromSeed, deriveSeed, SeededRandom } from '../../core/seeding/seeded-random';
import { isoSeconds, SEED_EPOCH_SECONDS } from '../../core/seeding/timestamps';
import type { LabelRecord, MilestoneRecord } from '../../core/world/world-model';
import type { GitlabGroup, GitlabProject, GitlabTokenKind, GitlabUser, GitlabWorld } from './gitlab-model';
import {
  ACCESS_LEVELS, DEFAULT_GITLAB_SCOPES, type GitlabAccessTokenSeed, type GitlabGroupSeed, type GitlabProjectSeed, type GitlabSeedConfig,
  type GitlabTokenSeed, type GitlabVisibility, memberSeed,
} from './gitlab-seed';

/** GitLab publishes a merge request's head under this ref (iid = the generated number). */
export function mergeRequestRef(iid: number): string {
  return `refs/merge-requests/${iid}/head`;
}

const GROUP_LABEL_COLORS = ['#6699cc', '#dc143c', '#009966', '#8fbc8f', '#ff8c00', '#5843ad'];

interface ProjectPlan {
  group: GitlabGroup;
  seed: GitlabProjectSeed;
}

/**
 * Builds the GitLab world from `SeedConfig.gitlab`: users and their tokens, groups (parents first)
 * with members, labels and milestones, then projects through the shared repository generator
 * (ids and content decided in config order, disk writes in parallel), then the bot users of project
 * and group access tokens. Issues and merge requests share the generator's numbering, so an issue's
 * or merge request's iid is its generated number (GitLab leaves gaps in iids too).
 */
export class GitlabSeeder {
  constructor(
    private readonly gl: GitlabWorld,
    private readonly provider: ProviderWorld,
    private readonly seed: string,
    private readonly clock: Clock,
    private readonly concurrency: number,
  ) {}

  async seedAll(config: GitlabSeedConfig | undefined): Promise<void> {
    // Sets the generator's seed string and creates the storage folders; accounts are added below.
    await this.provider.seed({ seed: this.seed, users: [], organizations: [] });
    for (const user of config?.users ?? []) this.addHuman(user.username, user.name, user.email);
    for (const user of config?.users ?? []) {
      const owner = this.requireUser(user.username);
      for (const token of user.tokens ?? []) this.addUserToken(owner, token);
    }
    const plans: ProjectPlan[] = [];
    const groupTokens: Array<{ group: GitlabGroup; tokens: GitlabAccessTokenSeed[] }> = [];
    const visit = (seeds: GitlabGroupSeed[], parent: GitlabGroup | null): void => {
      for (const seed of seeds) {
        const group = this.addGroup(seed, parent);
        groupTokens.push({ group, tokens: seed.accessTokens ?? [] });
        const generated = seed.generate ? expandRepositories({ login: group.fullPath, owners: [], generate: seed.generate }) : [];
        for (const project of [...(seed.projects ?? []), ...generated]) plans.push({ group, seed: project });
        visit(seed.subgroups ?? [], group);
      }
    };
    visit(config?.groups ?? [], null);
    for (const { group, tokens } of groupTokens) for (const token of tokens) this.addAccessToken('group', group.id, group.members, token);

    const projects = await this.materialize(plans);
    projects.forEach((project, i) => {
      for (const token of plans[i].seed.accessTokens ?? []) this.addAccessToken('project', project.id, project.members, token);
    });
  }

  /** A project added during a test, generated like seeded ones. */
  async addProject(groupPath: string, spec: RepositorySeed): Promise<GitlabProject> {
    const group = this.gl.groupByPath(groupPath);
    if (!group) throw new Error(`No GitLab group ${groupPath}`);
    const [project] = await this.materialize([{ group, seed: spec }]);
    return project;
  }

  private async materialize(plans: ProjectPlan[]): Promise<GitlabProject[]> {
    const out: GitlabProject[] = new Array<GitlabProject>(plans.length);
    let next = 0;
    // Each call decides ids and content synchronously when it starts, so results follow config order.
    const worker = async (): Promise<void> => {
      while (next < plans.length) {
        const index = next++;
        const { group, seed } = plans[index];
        const repo = await this.provider.addRepository(group.fullPath, seed);
        const members = new Map<number, number>();
        for (const m of seed.members ?? []) members.set(this.requireUser(memberSeed(m).username).id, ACCESS_LEVELS[memberSeed(m).accessLevel]);
        const visibility: GitlabVisibility = seed.visibility ?? (seed.private ? 'private' : group.visibility);
        repo.private = visibility !== 'public';
        const uploadSecrets = new Map<number, string>();
        for (const release of repo.metadata.releases) {
          // Every other link is an external URL, the rest are uploads served by GitLab itself.
          release.assets.forEach((asset, k) => {
            if (k % 2 === 0) uploadSecrets.set(asset.id, deriveSeed(repo.contentSeed, 'gitlab-upload', String(asset.id)).slice(0, 32));
          });
        }
        const project: GitlabProject = { id: repo.id, repo, group, visibility, members, uploadSecrets };
        this.gl.addProject(project);
        out[index] = project;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.concurrency, plans.length)) }, worker));
    return out;
  }

  private addHuman(username: string, name?: string, email?: string): GitlabUser {
    const id = this.gl.world.ids.allocate('account');
    const user: GitlabUser = {
      id,
      username,
      name: name ?? username.charAt(0).toUpperCase() + username.slice(1),
      email: email ?? `${username.toLowerCase()}@example.com`,
      createdAt: isoSeconds(SEED_EPOCH_SECONDS - 86_400 * 365 + id * 60),
      bot: false,
      botOf: null,
    };
    this.gl.addUser(user);
    return user;
  }

  private addGroup(seed: GitlabGroupSeed, parent: GitlabGroup | null): GitlabGroup {
    const id = this.gl.allocateGroupId();
    const fullPath = parent ? `${parent.fullPath}/${seed.path}` : seed.path;
    const name = seed.name ?? seed.path;
    const members = new Map<number, number>();
    for (const m of seed.members ?? []) members.set(this.requireUser(memberSeed(m).username).id, ACCESS_LEVELS[memberSeed(m).accessLevel]);
    for (const owner of seed.owners ?? []) members.set(this.requireUser(owner).id, ACCESS_LEVELS.owner);
    const createdEpoch = SEED_EPOCH_SECONDS - 86_400 * 30 + (id % 1000) * 60;
    const random = new SeededRandom(deriveSeed(this.seed, 'gitlab-group', fullPath.toLowerCase()));
    const people = [...members.keys()];
    const labels: LabelRecord[] = Array.from({ length: seed.labels ?? 0 }, (_, i) => ({
      id: this.gl.world.ids.allocate('label'),
      name: `${seed.path}::${random.pick(['area', 'team', 'priority', 'type'] as const)}-${i + 1}`,
      color: GROUP_LABEL_COLORS[i % GROUP_LABEL_COLORS.length],
      description: random.words(5),
      isDefault: false,
    }));
    const milestones: MilestoneRecord[] = Array.from({ length: seed.milestones ?? 0 }, (_, i) => {
      const created = createdEpoch + 86_400 + i * 3600;
      const closed = i > 0;
      return {
        id: this.gl.world.ids.allocate('milestone'),
        number: i + 1,
        title: `${name} ${2024 + i}.Q${(i % 4) + 1}`,
        description: random.words(6),
        state: closed ? 'closed' : 'open',
        creatorId: people.length > 0 ? random.pick(people) : 0,
        createdAt: isoSeconds(created),
        updatedAt: isoSeconds(created + 1800),
        closedAt: closed ? isoSeconds(created + 1800) : null,
        dueOn: isoSeconds(created + 90 * 86_400),
      };
    });
    const group: GitlabGroup = {
      id,
      path: seed.path,
      fullPath,
      name,
      fullName: parent ? `${parent.fullName} / ${name}` : name,
      description: seed.description ?? `The ${name} group`,
      visibility: seed.visibility ?? 'private',
      parentId: parent?.id ?? null,
      createdAt: isoSeconds(createdEpoch),
      members,
      labels,
      milestones,
    };
    this.gl.addGroup(group);
    return group;
  }

  private addUserToken(user: GitlabUser, seed: GitlabTokenSeed): void {
    const kind: GitlabTokenKind = seed.kind ?? 'personal';
    const oauth = kind === 'oauth';
    this.gl.addToken({
      id: this.gl.allocateTokenId(),
      name: seed.name,
      kind,
      value: seed.value ?? (oauth ? deriveSeed(this.seed, 'gitlab-oauth-token', seed.name) : this.patValue(seed.name)),
      userId: user.id,
      scopes: [...(seed.scopes ?? DEFAULT_GITLAB_SCOPES)],
      expiresAt: oauth ? null : (seed.expiresAt ?? null),
      oauthExpiresAtMs: oauth ? this.clock.now() + this.clock.durationMs(seed.expiresInSeconds ?? 7200) : null,
      revoked: seed.revoked ?? false,
      createdAt: isoSeconds(SEED_EPOCH_SECONDS - 86_400 * 7),
    });
  }

  /** A project or group access token: a bot user of its own, member of that project or group. */
  private addAccessToken(kind: 'project' | 'group', resourceId: number, members: Map<number, number>, seed: GitlabAccessTokenSeed): void {
    const suffix = deriveSeed(this.seed, 'gitlab-bot', seed.name).slice(0, 32);
    const username = `${kind}_${resourceId}_bot_${suffix}`;
    const id = this.gl.world.ids.allocate('account');
    this.gl.addUser({
      id,
      username,
      name: seed.name,
      email: `${username}@noreply.example.com`,
      createdAt: isoSeconds(SEED_EPOCH_SECONDS - 86_400 * 7),
      bot: true,
      botOf: { kind, id: resourceId },
    });
    members.set(id, ACCESS_LEVELS[seed.accessLevel ?? 'maintainer']);
    this.gl.addToken({
      id: this.gl.allocateTokenId(),
      name: seed.name,
      kind,
      value: seed.value ?? this.patValue(seed.name),
      userId: id,
      scopes: [...(seed.scopes ?? DEFAULT_GITLAB_SCOPES)],
      expiresAt: seed.expiresAt ?? null,
      oauthExpiresAtMs: null,
      revoked: seed.revoked ?? false,
      createdAt: isoSeconds(SEED_EPOCH_SECONDS - 86_400 * 7),
    });
  }

  private patValue(name: string): string {
    return `glpat-${base62FromSeed(20, this.seed, 'gitlab-token', name)}`;
  }

  private requireUser(username: string): GitlabUser {
    const user = this.gl.userByUsername(username);
    if (!user) throw new Error(`Unknown GitLab user ${username}`);
    return user;
  }
}
