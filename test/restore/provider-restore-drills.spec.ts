import type { RepoVaultClient, Schemas } from '@repovault/contracts/public-api';
import { type RunningSimulator, type SeedConfig, startSimulator } from '@repovault/testing/provider-simulator';
import { type MetadataKind, SecretLeakScanner } from '@repovault/testing/support';
import { defaultPlanOf, runPlan, type SnapshotView, snapshotsOf } from '../support/backup-helpers';
import { compareRestoredSnapshots, type Json, type RestoreComparisonProfile } from '../support/snapshot-comparison';
import { type StackUnderTest, startStack } from '../support/stack-harness';
import { BITBUCKET_CLOUD_RESTORE_PROFILE, BITBUCKET_DC_RESTORE_PROFILE, GITLAB_RESTORE_PROFILE } from './provider-restore-profiles';

type RestoreView = Schemas['RestoreView'];

const FINISHED = ['succeeded', 'partially-failed', 'failed'];

interface DrillCase {
  provider: 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';
  seed(): SeedConfig;
  /** the organization as onboarded (group path, workspace, project key) and the seeded repository in it */
  organization: string;
  repository: string;
  baseUrl(sim: RunningSimulator): string;
  account(sim: RunningSimulator): { username?: string; email?: string; secret: string };
  profile: RestoreComparisonProfile;
  /** the metadata kinds the provider's restore writes, compared item by item */
  compared: MetadataKind[];
  /** kinds of the snapshot the restore cannot write (named in the report, left out of the comparison) */
  leftOut: MetadataKind[];
  /** further things the report must name (what the API cannot set on restored items), from the original's records */
  named(original: (kind: MetadataKind) => Promise<Json[]>): Promise<string[]>;
  /** adds a comment whose cross-references the restore must remap (one names an item that does not exist) */
  references(sim: RunningSimulator): Promise<void>;
  /** items per kind upstream, read from the simulator: a restore killed halfway must end with exactly the original's */
  upstream(sim: RunningSimulator, name: string): Record<string, number>;
}

/** The first item of a listing the simulator serves (Bitbucket's `values`, GitLab's array). */
async function firstOf(url: string, authorization: string, field: string): Promise<number> {
  const body = (await (await fetch(url, { headers: { authorization } })).json()) as Json[] | { values: Json[] };
  const items = Array.isArray(body) ? body : body.values;
  return Number(items[0]?.[field]);
}

const GITLAB: DrillCase = {
  provider: 'gitlab',
  seed: () => ({
    seed: 'restore-drill-gitlab',
    users: [],
    organizations: [],
    gitlab: {
      users: [{ username: 'alice', name: 'Alice Owner', tokens: [{ name: 'gl-alice-api', scopes: ['api'], expiresAt: '2099-12-31' }] }],
      groups: [
        {
          path: 'acme-group',
          owners: ['alice'],
          projects: [
            {
              name: 'widgets', lfsObjects: 2, wiki: true, branches: 4, tags: 2,
              metadata: { issues: 4, pulls: 3, commentsPerIssue: 1, reviewCommentsPerPull: 1, releases: 2, assetsPerRelease: 2, labels: 3, milestones: 2 },
            },
          ],
        },
      ],
    },
  }),
  organization: 'acme-group',
  repository: 'widgets',
  baseUrl: (sim) => sim.gitlab.baseUrl,
  account: (sim) => ({ username: 'alice', secret: sim.tokens['gl-alice-api'] ?? '' }),
  profile: GITLAB_RESTORE_PROFILE,
  references: async (sim) => {
    const project = `${sim.gitlab.apiUrl}/projects/acme-group%2Fwidgets`;
    const auth = `Bearer ${sim.tokens['gl-alice-api'] ?? ''}`;
    const issue = await firstOf(`${project}/issues?sort=asc`, auth, 'iid');
    const mr = await firstOf(`${project}/merge_requests?sort=asc`, auth, 'iid');
    sim.gitlab.addNote('acme-group/widgets', 'issue', issue, `Duplicate of #${issue}, fixed by !${mr}; not #99. Code: \`#${issue}\`.`);
  },
  compared: ['labels', 'milestones', 'issues', 'pull-requests', 'issue-comments', 'review-comments', 'releases', 'release-assets'],
  leftOut: [],
  named: async (original) => ((await original('pull-requests')).some((m) => m['state'] === 'merged') ? ['pull-request-state'] : []),
  upstream: (sim, name) => {
    const c = sim.repository('acme-group', name).gitlab?.counts;
    return { issues: c?.issues ?? 0, mergeRequests: c?.mergeRequests ?? 0, issueNotes: c?.issueNotes ?? 0, mergeRequestNotes: c?.mergeRequestNotes ?? 0, releases: c?.releases ?? 0, releaseLinks: c?.releaseLinks ?? 0, labels: c?.labels ?? 0, milestones: c?.milestones ?? 0 };
  },
};

const BITBUCKET_CLOUD_WRITE_SCOPES = [
  'read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'admin:repository:bitbucket',
  'read:pullrequest:bitbucket', 'write:pullrequest:bitbucket', 'read:issue:bitbucket', 'write:issue:bitbucket',
];

const BITBUCKET_CLOUD: DrillCase = {
  provider: 'bitbucket-cloud',
  seed: () => ({
    seed: 'restore-drill-bitbucket-cloud',
    users: [],
    organizations: [],
    bitbucketCloud: {
      users: [{ login: 'alice', name: 'Alice Owner', tokens: [{ name: 'bbc-alice-writer', scopes: BITBUCKET_CLOUD_WRITE_SCOPES }] }],
      workspaces: [
        {
          slug: 'acme-ws',
          owners: ['alice'],
          issueTrackerEvery: 1,
          repositories: [
            { name: 'widgets', lfsObjects: 2, wiki: true, branches: 4, tags: 2, metadata: { issues: 4, pulls: 3, commentsPerIssue: 1, reviewCommentsPerPull: 1, reviewsPerPull: 1, releases: 1, assetsPerRelease: 2, milestones: 1 } },
          ],
        },
      ],
    },
  }),
  organization: 'acme-ws',
  repository: 'widgets',
  baseUrl: (sim) => sim.bitbucketCloud.apiUrl,
  account: (sim) => ({ email: 'alice@example.com', secret: sim.tokens['bbc-alice-writer'] ?? '' }),
  profile: BITBUCKET_CLOUD_RESTORE_PROFILE,
  references: async (sim) => {
    const auth = `Basic ${Buffer.from(`alice@example.com:${sim.tokens['bbc-alice-writer'] ?? ''}`).toString('base64')}`;
    const issue = await firstOf(`${sim.bitbucketCloud.apiUrl}/repositories/acme-ws/widgets/issues`, auth, 'id');
    const pull = await firstOf(`${sim.bitbucketCloud.apiUrl}/repositories/acme-ws/widgets/pullrequests?state=OPEN&state=MERGED&state=DECLINED`, auth, 'id');
    sim.addIssueComment('acme-ws', 'widgets', issue, `Duplicate of #${issue}, fixed in #${pull}; not #99.`);
  },
  compared: ['issues', 'pull-requests', 'issue-comments', 'review-comments', 'release-assets'],
  leftOut: [],
  named: async (original) => {
    const pulls = await original('pull-requests');
    const participants = pulls.flatMap((p) => (Array.isArray(p['participants']) ? (p['participants'] as Json[]) : []));
    return [
      ...(pulls.some((p) => p['state'] === 'MERGED') ? ['pull-request-state'] : []),
      ...(participants.some((x) => x['approved'] === true || x['state'] === 'changes_requested') ? ['approvals'] : []),
      ...((await original('issues')).some((i) => i['milestone'] !== null && i['milestone'] !== undefined) ? ['issue-milestones'] : []),
    ];
  },
  upstream: (sim, name) => ({ ...sim.repository('acme-ws', name).bitbucketCloud }),
};

const BITBUCKET_DC: DrillCase = {
  provider: 'bitbucket-dc',
  seed: () => ({
    seed: 'restore-drill-bitbucket-dc',
    users: [],
    organizations: [],
    bitbucketDc: {
      users: [{ login: 'alice', name: 'Alice Admin', tokens: [{ name: 'bbdc-alice-admin', permissions: ['PROJECT_ADMIN', 'REPO_ADMIN'] }] }],
      projects: [
        {
          key: 'ENG',
          owners: ['alice'],
          repositories: [{ name: 'widgets', lfsObjects: 2, branches: 4, tags: 2, metadata: { issues: 0, pulls: 3, commentsPerIssue: 2, reviewCommentsPerPull: 1, reviewsPerPull: 1 } }],
        },
      ],
    },
  }),
  organization: 'ENG',
  repository: 'widgets',
  baseUrl: (sim) => sim.bitbucketDc.baseUrl,
  account: (sim) => ({ username: 'alice', secret: sim.tokens['bbdc-alice-admin'] ?? '' }),
  profile: BITBUCKET_DC_RESTORE_PROFILE,
  references: async (sim) => {
    const auth = `Bearer ${sim.tokens['bbdc-alice-admin'] ?? ''}`;
    const pull = await firstOf(`${sim.bitbucketDc.baseUrl}/rest/api/latest/projects/ENG/repos/widgets/pull-requests?state=ALL&order=OLDEST`, auth, 'id');
    sim.addIssueComment('ENG', 'widgets', pull, `Follow-up of #${pull}; not #99.`);
  },
  compared: ['pull-requests', 'review-comments'],
  leftOut: ['reviews'],
  named: async (original) => ((await original('pull-requests')).some((p) => p['state'] === 'MERGED') ? ['pull-request-state'] : []),
  upstream: (sim, name) => {
    const c = sim.repository('ENG', name).bitbucketDc;
    return { pullRequests: c?.pullRequests ?? 0, comments: c?.comments ?? 0 };
  },
};

/**
 * Restore drills for GitLab, Bitbucket Cloud and Bitbucket Data Center (issue #9): back up a seeded
 * repository, restore it as a new repository (the worker killed with SIGKILL halfway), back that up
 * again, and compare the two snapshots.
 */
describe.each([GITLAB, BITBUCKET_CLOUD, BITBUCKET_DC])('$provider restore drill', (c) => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let apiKey: string;
  let organizationId: string;
  let original: SnapshotView;
  let restore: RestoreView;
  const restoredName = `${c.repository}-restored`;
  const restoredFullName = `${c.organization}/${restoredName}`;

  beforeAll(async () => {
    // writes take a little while, so that the worker can be killed in the middle of a restore
    sim = await startSimulator({ seed: c.seed(), latencyMs: 25 });
    await c.references(sim);
    sut = await startStack({ workers: 1, env: { REPOVAULT_JOB_LOCK_SECONDS: '6' } });
    const tenant = await sut.newTenant();
    client = tenant.client;
    apiKey = tenant.apiKey;
    const account = c.account(sim);
    const { data, error } = await client.POST('/v1/organizations', {
      body: { provider: c.provider, baseUrl: c.baseUrl(sim), name: c.organization, auth: { method: 'token', username: account.username, email: account.email, secret: account.secret } },
    });
    if (!data) throw new Error(`onboarding ${c.organization}: ${JSON.stringify(error)}`);
    organizationId = data.id;
    const planId = await defaultPlanOf(client, organizationId);
    const run = await runPlan(client, planId, 300_000);
    expect(run.status).toBe('succeeded');
    const snapshot = (await snapshotsOf(client, planId, run.id)).get(`${c.organization}/${c.repository}`);
    if (!snapshot) throw new Error(`no snapshot of ${c.organization}/${c.repository}`);
    original = snapshot;
  }, 400_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  async function restoreOf(id: string): Promise<RestoreView> {
    const { data } = await client.GET('/v1/restores/{id}', { params: { path: { id } } });
    if (!data) throw new Error(`restore ${id} not found`);
    return data;
  }

  async function waitForRestore(id: string, timeoutMs = 240_000): Promise<RestoreView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await restoreOf(id);
      if (FINISHED.includes(current.status)) return current;
      if (Date.now() > deadline) throw new Error(`restore ${id} did not finish: ${JSON.stringify(current)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async function records(snapshot: SnapshotView, kind: MetadataKind): Promise<Json[]> {
    const response = await fetch(`${sut.stack.gatewayUrl}/v1/snapshots/${snapshot.id}/metadata/${kind}`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (response.status !== 200) throw new Error(`metadata ${kind} of ${snapshot.id}: ${response.status}`);
    return (await response.text()).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Json);
  }

  /** Discovers the organization's repositories again and backs up the restored one with a plan of its own. */
  async function backUpRestored(): Promise<SnapshotView> {
    await client.POST('/v1/organizations/{id}/sync', { params: { path: { id: organizationId } } });
    const deadline = Date.now() + 60_000;
    let repositoryId: string | undefined;
    while (!repositoryId) {
      const { data } = await client.GET('/v1/organizations/{id}/repositories', { params: { path: { id: organizationId }, query: { limit: 200 } } });
      repositoryId = data?.items.find((r) => r.fullName.toLowerCase() === restoredFullName.toLowerCase())?.id;
      if (Date.now() > deadline) throw new Error(`${restoredFullName} was not discovered`);
      if (!repositoryId) await new Promise((r) => setTimeout(r, 250));
    }
    const plan = await client.POST('/v1/plans', {
      body: { name: `drill-${restoredName}`, organizationId, repositories: { mode: 'selected', ids: [repositoryId] }, schedule: null },
    });
    if (!plan.data) throw new Error(`plan: ${JSON.stringify(plan.error)}`);
    const run = await runPlan(client, plan.data.id, 300_000);
    expect(run.status).toBe('succeeded');
    const snapshot = [...(await snapshotsOf(client, plan.data.id, run.id)).values()][0];
    if (!snapshot) throw new Error(`no snapshot of ${restoredFullName}`);
    return snapshot;
  }

  it('restores the snapshot as a new repository; a worker killed with SIGKILL halfway leaves no duplicates', async () => {
    const started = await client.POST('/v1/restores', { body: { snapshotId: original.id, target: { organizationId, repositoryName: restoredName, mode: 'new-repository' } } });
    expect(started.response.status).toBe(202);
    const id = started.data?.id ?? '';
    const reference = c.upstream(sim, c.repository);
    // kill the only worker once the first pull request is upstream, with more writes to come
    const deadline = Date.now() + 120_000;
    for (;;) {
      const listed = sim.listRepositories(c.organization).includes(restoredName);
      const counts = listed ? c.upstream(sim, restoredName) : {};
      if ((counts['mergeRequests'] ?? counts['pullRequests'] ?? 0) >= 1) break;
      if (Date.now() > deadline) throw new Error('the restore never wrote a pull request');
      if (FINISHED.includes((await restoreOf(id)).status)) throw new Error('the restore finished before it could be killed');
      await new Promise((r) => setTimeout(r, 20));
    }
    const victim = sut.stack.workers()[0];
    if (!victim) throw new Error('no worker');
    await sut.stack.kill(victim, 'SIGKILL');
    expect(c.upstream(sim, restoredName)).not.toEqual(reference);
    await sut.stack.waitReady(await sut.stack.addWorker());

    restore = await waitForRestore(id);
    expect(restore).toMatchObject({ status: 'succeeded', errors: [], target: { mode: 'new-repository' } });
    expect(restore.target.fullName?.toLowerCase()).toBe(restoredFullName.toLowerCase());
    expect(c.upstream(sim, restoredName)).toEqual(reference);
    for (const [kind, counts] of Object.entries(restore.items)) {
      expect({ kind, total: counts.restored + counts.notRestored, failed: counts.failed }).toEqual({ kind, total: counts.source, failed: 0 });
    }
    expect(restore.items['lfs-objects']).toMatchObject({ source: 2, restored: 2 });
    const named = restore.notRestored.map((n) => n.kind);
    expect(named).toEqual(expect.arrayContaining([...c.leftOut, ...(await c.named((kind) => records(original, kind)))]));
    for (const item of restore.notRestored) expect(item.reason.length).toBeGreaterThan(20);
  }, 300_000);

  it('backs up the restored repository, and both snapshots agree: refs, LFS objects, wiki and every kind of metadata the restore writes', async () => {
    const copy = await backUpRestored();
    const comparison = await compareRestoredSnapshots({ original, restored: copy, report: restore, profile: c.profile, records });
    expect(comparison.differences).toEqual([]);
    expect(comparison.compared).toEqual(c.compared);
    expect(comparison.leftOut.sort()).toEqual([...c.leftOut].sort());
    expect(Object.keys(copy.wikiRefs ?? {})).toEqual(Object.keys(original.wikiRefs ?? {}));
    expect(copy.files.filter((f) => f.kind === 'lfs')).toHaveLength(2);
    // the references were remapped; the one to an item that never existed names the original repository
    const comments = JSON.stringify(await records(copy, c.provider === 'bitbucket-dc' ? 'review-comments' : 'issue-comments'));
    expect(comments).toContain(`${c.organization}/${c.repository}#99`);
    // no staging branch was left behind
    expect(Object.keys(copy.refs).filter((r) => r.includes('repovault-restore'))).toEqual([]);
  }, 400_000);

  it('puts the writing credential in no response, log, job payload or table', async () => {
    const scanner = new SecretLeakScanner();
    scanner.register(c.account(sim).secret);
    for (const body of sut.responses) scanner.scanText('response', body);
    for (const proc of sut.stack.processes) scanner.scanFile(proc.log);
    await scanner.scanRedis(sut.queuePrefix);
    await scanner.scanDatabase(sut.databaseUrl, ['plan', 'worker']);
    expect(scanner.leaks).toEqual([]);
  });
});
