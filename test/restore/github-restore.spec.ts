import { type RepoVaultClient, type Schemas, createRepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { type MetadataKind, SecretLeakScanner } from '@repovault/testing/support';
import { type SnapshotView, defaultPlanOf, runPlan, snapshotsOf } from '../support/backup-helpers';
import { GITHUB_RESTORE_PROFILE, type Json, compareRestoredSnapshots } from '../support/snapshot-comparison';
import { type StackUnderTest, startStack } from '../support/stack-harness';

type RestoreView = Schemas['RestoreView'];

const FINISHED = ['succeeded', 'partially-failed', 'failed'];

/**
 * Restore drill for GitHub (issue #9): back up a seeded repository (LFS, wiki, issues, comments,
 * labels, milestones, releases with assets, pull requests), restore it as a new repository in
 * another organization, back that up again and compare the two snapshots.
 */
describe('GitHub restore drill', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let apiKey: string;
  let acmeId: string;
  let drId: string;
  let original: SnapshotView;
  const token = (name: string) => sim.tokens[name] ?? '';

  beforeAll(async () => {
    sim = await startSimulator({
      // writes take a little while, so that a worker can be killed in the middle of a restore
      latencyMs: 15,
      seed: {
        seed: 'restore-drill-github',
        users: [
          { login: 'alice', name: 'Alice Owner', tokens: [{ name: 'alice', scopes: ['repo', 'read:org'] }] },
          { login: 'bob', name: 'Bob Member', tokens: [{ name: 'bob', scopes: ['repo', 'read:org'] }] },
        ],
        organizations: [
          {
            login: 'acme', owners: ['alice'], members: ['bob'],
            repositories: [{
              name: 'widgets', lfsObjects: 3, wiki: true, branches: 4, tags: 3, private: true,
              metadata: { issues: 6, pulls: 3, commentsPerIssue: 1, reviewsPerPull: 1, reviewCommentsPerPull: 1, releases: 2, assetsPerRelease: 2, labels: 5, milestones: 2 },
            }],
          },
          { login: 'acme-dr', owners: ['alice'] },
        ],
      },
    });
    // cross-references the restore must remap, one to an item that does not exist
    sim.addIssueComment('acme', 'widgets', 2, 'Duplicate of #1, see acme/widgets#4 and #7; not #99. Code: `#3`.');
    sut = await startStack({ workers: 1, env: { REPOVAULT_JOB_LOCK_SECONDS: '6' } });
    const tenant = await sut.newTenant();
    client = tenant.client;
    apiKey = tenant.apiKey;
    acmeId = await onboard('acme');
    drId = await onboard('acme-dr');
    const run = await runPlan(client, await defaultPlanOf(client, acmeId));
    expect(run.status).toBe('succeeded');
    const snapshot = (await snapshotsOf(client, await defaultPlanOf(client, acmeId), run.id)).get('acme/widgets');
    if (!snapshot) throw new Error('no snapshot of acme/widgets');
    original = snapshot;
  }, 240_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  async function onboard(name: string): Promise<string> {
    const { data, error } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name, auth: { method: 'token', username: 'alice', secret: token('alice') } },
    });
    if (!data) throw new Error(`onboarding ${name}: ${JSON.stringify(error)}`);
    return data.id;
  }

  async function startRestore(repositoryName: string): Promise<string> {
    const { data, response, error } = await client.POST('/v1/restores', {
      body: { snapshotId: original.id, target: { organizationId: drId, repositoryName, mode: 'new-repository' } },
    });
    expect(response.status).toBe(202);
    if (!data) throw new Error(`restore not started: ${JSON.stringify(error)}`);
    expect(data.status).toBe('queued');
    return data.id;
  }

  async function restoreOf(id: string): Promise<RestoreView> {
    const { data } = await client.GET('/v1/restores/{id}', { params: { path: { id } } });
    if (!data) throw new Error(`restore ${id} not found`);
    return data;
  }

  async function waitForRestore(id: string, timeoutMs = 180_000): Promise<RestoreView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const restore = await restoreOf(id);
      if (FINISHED.includes(restore.status)) return restore;
      if (Date.now() > deadline) throw new Error(`restore ${id} did not finish: ${JSON.stringify(restore)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Discovers the organization's repositories again and backs up the restored one. */
  async function backUp(organizationId: string, fullName: string): Promise<SnapshotView> {
    await client.POST('/v1/organizations/{id}/sync', { params: { path: { id: organizationId } } });
    const deadline = Date.now() + 60_000;
    let repositoryId: string | undefined;
    while (!repositoryId) {
      const { data } = await client.GET('/v1/organizations/{id}/repositories', { params: { path: { id: organizationId }, query: { limit: 200 } } });
      repositoryId = data?.items.find((r) => r.fullName === fullName)?.id;
      if (Date.now() > deadline) throw new Error(`${fullName} was not discovered`);
      if (!repositoryId) await new Promise((r) => setTimeout(r, 250));
    }
    const plan = await client.POST('/v1/plans', {
      body: { name: `drill-${fullName.replace('/', '-')}`, organizationId, repositories: { mode: 'selected', ids: [repositoryId] }, schedule: null },
    });
    if (!plan.data) throw new Error(`plan: ${JSON.stringify(plan.error)}`);
    const run = await runPlan(client, plan.data.id);
    expect(run.status).toBe('succeeded');
    const snapshot = (await snapshotsOf(client, plan.data.id, run.id)).get(fullName);
    if (!snapshot) throw new Error(`no snapshot of ${fullName}`);
    return snapshot;
  }

  async function records(snapshot: SnapshotView, kind: MetadataKind): Promise<Json[]> {
    const response = await fetch(`${sut.stack.gatewayUrl}/v1/snapshots/${snapshot.id}/metadata/${kind}`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (response.status !== 200) throw new Error(`metadata ${kind} of ${snapshot.id}: ${response.status}`);
    return (await response.text()).split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Json);
  }

  it('restores as a new repository in another organization; a backup of it agrees with the original snapshot', async () => {
    const id = await startRestore('widgets-restored');
    const restore = await waitForRestore(id);
    expect(restore).toMatchObject({ status: 'succeeded', errors: [], target: { fullName: 'acme-dr/widgets-restored', mode: 'new-repository' } });
    // every kind's counts: the snapshot's items, all restored except what the report names
    for (const [kind, counts] of Object.entries(restore.items)) {
      expect({ kind, total: counts.restored + counts.notRestored, failed: counts.failed }).toEqual({ kind, total: counts.source, failed: 0 });
    }
    expect(restore.items['lfs-objects']).toMatchObject({ source: 3, restored: 3 });
    expect(restore.items['wiki-refs']?.restored).toBeGreaterThan(0);
    expect(restore.items['issues']).toMatchObject({ source: 6, restored: 6 });
    expect(restore.items['pull-requests']).toMatchObject({ source: 3, restored: 3 });
    // what GitHub cannot write is named, with why
    const named = restore.notRestored.map((n) => n.kind);
    expect(named).toEqual(expect.arrayContaining(['reviews', 'review-comments']));
    for (const item of restore.notRestored) expect(item.reason.length).toBeGreaterThan(20);

    // writes were paced within GitHub's limits: no refusal, no violation
    expect(Object.values(sim.stats().identities).reduce((n, s) => n + s.refusals + s.violations, 0)).toBe(0);

    const copy = await backUp(drId, 'acme-dr/widgets-restored');
    const comparison = await compareRestoredSnapshots({ original, restored: copy, report: restore, profile: GITHUB_RESTORE_PROFILE, records });
    expect(comparison.differences).toEqual([]);
    expect(comparison.compared).toEqual(['labels', 'milestones', 'issues', 'pull-requests', 'issue-comments', 'releases', 'release-assets']);
    expect(comparison.leftOut.sort()).toEqual(['review-comments', 'reviews']);
    for (const kind of comparison.leftOut) expect(named).toContain(kind);
    // the cross-references point at the restored numbers; the missing one names the original
    const comment = (await records(copy, 'issue-comments')).map((c) => String(c['body'])).find((b) => b.includes('Duplicate of'));
    const n = (source: number) => comparison.numbers.get('#')?.get(source);
    expect(comment).toContain(`Duplicate of #${n(1)}, see acme-dr/widgets-restored#${n(4)} and #${n(7)}; not acme/widgets#99. Code: \`#3\`.`);
    expect(comment).toMatch(/Originally by `[a-z]+` on \d{4}-/);
    // no staging branch was left behind
    expect(Object.keys(copy.refs).filter((r) => r.includes('repovault-restore'))).toEqual([]);
  });

  it('a restore killed with SIGKILL halfway and started again leaves no duplicates', async () => {
    const reference = sim.repository('acme-dr', 'widgets-restored').metadataCounts;
    const id = await startRestore('widgets-killed');
    // wait until it is writing metadata, then kill the only worker: watched in the simulator itself
    // (the restore's own progress is reported in checkpoints, too late on a fast machine)
    const issuesUpstream = () => (sim.listRepositories('acme-dr').includes('widgets-killed') ? sim.repository('acme-dr', 'widgets-killed').metadataCounts.issues : 0);
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (issuesUpstream() >= 2) break;
      const restore = await restoreOf(id);
      if (FINISHED.includes(restore.status)) throw new Error(`the restore finished before it could be killed: ${JSON.stringify(restore)}`);
      if (Date.now() > deadline) throw new Error('the restore never got to its issues');
      await new Promise((r) => setTimeout(r, 5));
    }
    const victim = sut.stack.workers()[0];
    if (!victim) throw new Error('no worker');
    await sut.stack.kill(victim, 'SIGKILL');
    // killed halfway: issues written, comments (which come after them) not all
    const halfway = sim.repository('acme-dr', 'widgets-killed').metadataCounts;
    expect(halfway.issues).toBeGreaterThanOrEqual(2);
    expect(halfway.issueComments).toBeLessThan(reference.issueComments);
    await sut.stack.waitReady(await sut.stack.addWorker());

    const restore = await waitForRestore(id);
    expect(restore).toMatchObject({ status: 'succeeded', errors: [] });
    expect(sim.repository('acme-dr', 'widgets-killed').metadataCounts).toEqual(reference);
    expect(restore.items['issues']).toEqual(expect.objectContaining({ source: 6, restored: 6, failed: 0 }));
    expect(restore.items['issue-comments']?.restored).toBe(restore.items['issue-comments']?.source);
    const refs = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([ref]) => !ref.startsWith('refs/pull/')));
    expect(refs(sim.repository('acme-dr', 'widgets-killed').refs)).toEqual(refs(sim.repository('acme', 'widgets').refs));
  });

  it('refuses overwrite without the confirmation (422), and restores to viewers and backup operators (403)', async () => {
    const overwrite = { snapshotId: original.id, target: { organizationId: acmeId, repositoryName: 'widgets', mode: 'overwrite' as const } };
    const missing = await client.POST('/v1/restores', { body: overwrite });
    expect(missing.response.status).toBe(422);
    expect(missing.response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.error?.detail).toContain('"confirm": "acme/widgets"');
    const wrong = await client.POST('/v1/restores', { body: { ...overwrite, confirm: 'acme/other' } });
    expect(wrong.response.status).toBe(422);
    const elsewhere = await client.POST('/v1/restores', { body: { ...overwrite, target: { ...overwrite.target, organizationId: drId }, confirm: 'acme/widgets' } });
    expect(elsewhere.response.status).toBe(422);

    for (const role of ['viewer', 'backup-operator'] as const) {
      const key = await client.POST('/v1/api-keys', { body: { name: `${role}-key`, role } });
      const other = createRepoVaultClient(sut.stack.gatewayUrl, { apiKey: key.data?.key ?? '' });
      const refused = await other.POST('/v1/restores', { body: { snapshotId: original.id, target: { organizationId: drId, repositoryName: `by-${role}`, mode: 'new-repository' } } });
      expect({ role, status: refused.response.status }).toEqual({ role, status: 403 });
      // readers may still follow restores
      expect((await other.GET('/v1/restores', {})).response.status).toBe(200);
    }
    const operatorKey = await client.POST('/v1/api-keys', { body: { name: 'restorer', role: 'restore-operator' } });
    const operator = createRepoVaultClient(sut.stack.gatewayUrl, { apiKey: operatorKey.data?.key ?? '' });
    const request = { body: { snapshotId: original.id, target: { organizationId: drId, repositoryName: 'widgets-restored', mode: 'new-repository' as const } }, headers: { 'idempotency-key': 'drill-taken-name' } };
    const taken = await operator.POST('/v1/restores', request);
    expect(taken.response.status).toBe(202);
    // a retried request with the same Idempotency-Key answers the first restore
    expect((await operator.POST('/v1/restores', request)).data?.id).toBe(taken.data?.id);
    // the name is taken: the restore fails and says so, without touching the repository
    const before = sim.repository('acme-dr', 'widgets-restored').metadataCounts;
    const failed = await waitForRestore(taken.data?.id ?? '');
    expect(failed.status).toBe('failed');
    expect(failed.errors[0]?.message).toMatch(/already exists/);
    expect(sim.repository('acme-dr', 'widgets-restored').metadataCounts).toEqual(before);
  });

  it('overwrites the original with the confirmation: refs back as in the snapshot, extra refs deleted, nothing duplicated', async () => {
    await sim.addCommits('acme', 'widgets', { branch: 'main', count: 1 });
    await sim.addCommits('acme', 'widgets', { branch: 'pushed-after-the-backup', count: 1 });
    const before = sim.repository('acme', 'widgets');
    expect(before.refs['refs/heads/main']).not.toBe(original.refs['refs/heads/main']);
    const { data, response } = await client.POST('/v1/restores', {
      body: { snapshotId: original.id, target: { organizationId: acmeId, repositoryName: 'widgets', mode: 'overwrite' }, confirm: 'acme/widgets' },
    });
    expect(response.status).toBe(202);
    const restore = await waitForRestore(data?.id ?? '');
    expect(restore).toMatchObject({ status: 'succeeded', errors: [], target: { fullName: 'acme/widgets', mode: 'overwrite' } });
    const after = sim.repository('acme', 'widgets');
    const own = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([ref]) => !ref.startsWith('refs/pull/')));
    expect(own(after.refs)).toEqual(own(original.refs));
    expect(after.refs['refs/heads/pushed-after-the-backup']).toBeUndefined();
    // the metadata was all still there: counted as restored, written again nowhere
    expect(after.metadataCounts).toEqual(before.metadataCounts);
    expect(restore.items['issues']).toMatchObject({ source: 6, restored: 6 });
  });

  it('puts no secret in responses, logs, job payloads or tables', async () => {
    const scanner = new SecretLeakScanner();
    scanner.register(token('alice'));
    for (const body of sut.responses) scanner.scanText('response', body);
    for (const proc of sut.stack.processes) scanner.scanFile(proc.log);
    await scanner.scanRedis(sut.queuePrefix);
    await scanner.scanDatabase(sut.databaseUrl, ['plan', 'worker']);
    expect(scanner.leaks).toEqual([]);
  });
});
