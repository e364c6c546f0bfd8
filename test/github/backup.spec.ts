import type { RepoVaultClient } from '@repovault/contracts/public-api';
import type { RunningSimulator } from '@repovault/testing/provider-simulator';
import { demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPlanOf, refsOfBundle, runPlan, snapshotsOf, waitForRun } from '../support/backup-helpers';
import { type StackUnderTest, startStack } from '../support/stack-harness';

/** The simulator's counts under the names our snapshots use. */
function expectedMetadata(sim: RunningSimulator, name: string): Record<string, number> {
  const c = sim.repository('acme', name).metadataCounts;
  return {
    issues: c.issues, pullRequests: c.pulls, issueComments: c.issueComments, reviewComments: c.reviewComments, reviews: c.reviews,
    releases: c.releases, releaseAssets: c.releaseAssets, labels: c.labels, milestones: c.milestones,
  };
}

describe('GitHub backups end to end', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let apiKey: string;
  let orgId: string;
  let planId: string;
  const credentials: Record<string, string> = {};
  const token = (name: string) => sim.tokens[name] ?? '';
  const identity = (name: string) => sim.identityOf(token(name));

  beforeAll(async () => {
    const seed = demoSeed('backup-e2e');
    const acme = seed.organizations[0];
    if (acme?.generate) acme.generate = { ...acme.generate, count: 20, lfsEvery: 10, wikiEvery: 6, privateEvery: 3 };
    sim = await startSimulator({ seed });
    sut = await startStack({ workers: 1, env: { REPOVAULT_JOB_LOCK_SECONDS: '6' } });
    const tenant = await sut.newTenant();
    client = tenant.client;
    apiKey = tenant.apiKey;
    const { data } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: 'alice', secret: token('alice') } },
    });
    orgId = data?.id ?? '';
    credentials['alice'] = data?.mainCredentialId ?? '';
    for (const name of ['bob', 'carol', 'dave']) {
      const added = await client.POST('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } }, body: { method: 'token', username: name, secret: token(name) } });
      credentials[name] = added.data?.id ?? '';
    }
    planId = await defaultPlanOf(client, orgId);
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  it('backs up 20 repositories: bundles clone to exactly the refs, LFS present, metadata counts equal', async () => {
    sim.reset();
    const run = await runPlan(client, planId);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 20, succeeded: 20, failed: 0 } });
    expect(run.throttle.refusals).toBe(0);
    // switch off: only the main credential's identity was charged
    const stats = sim.stats().identities;
    expect(stats[identity('alice')]?.requests).toBeGreaterThan(0);
    for (const name of ['bob', 'carol', 'dave']) expect(stats[identity(name)]?.requests ?? 0).toBe(0);
    expect(Object.keys(run.apiCalls.byCredential)).toEqual([credentials['alice']]);

    const snapshots = await snapshotsOf(client, planId, run.id);
    expect(snapshots.size).toBe(20);
    let lfsRepos = 0;
    let wikiRepos = 0;
    for (const name of sim.listRepositories('acme')) {
      const upstream = sim.repository('acme', name);
      const snapshot = snapshots.get(`acme/${name}`);
      expect(snapshot).toBeDefined();
      if (!snapshot) continue;
      expect(snapshot.refs).toEqual(upstream.refs);
      expect(await refsOfBundle(sut.stack.gatewayUrl, apiKey, snapshot.id)).toEqual(upstream.refs);
      const lfs = snapshot.files.filter((f) => f.path.startsWith('lfs/')).map((f) => f.sha256).sort();
      expect(lfs).toEqual([...upstream.lfsOids].sort());
      if (lfs.length) lfsRepos++;
      if (upstream.hasWiki) {
        wikiRepos++;
        expect(snapshot.files.some((f) => f.path === 'wiki.bundle')).toBe(true);
        expect(snapshot.wikiRefs).toEqual(upstream.wikiRefs);
      }
      expect(snapshot.metadata).toEqual(expectedMetadata(sim, name));
    }
    expect([lfsRepos, wikiRepos]).toEqual([2, 3]);
    const issues = await fetch(`${sut.stack.gatewayUrl}/v1/snapshots/${snapshots.get('acme/repo-0001')?.id}/metadata/issues`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(issues.headers.get('content-type')).toMatch(/ndjson/);
    const lines = (await issues.text()).trim().split('\n');
    expect(lines).toHaveLength(sim.repository('acme', 'repo-0001').metadataCounts.issues);
    expect(JSON.parse(lines[0] ?? '{}')).toHaveProperty('number');
  });

  it('captures new commits, a new comment and a force-push; unchanged repositories add no bundle bytes', async () => {
    const before = await snapshotsOf(client, planId);
    const oldTip = sim.repository('acme', 'repo-0004').refs['refs/heads/main'];
    await sim.addCommits('acme', 'repo-0001', { branch: 'main', count: 2 });
    await sim.addCommits('acme', 'repo-0002', { branch: 'main', count: 1 });
    sim.addIssueComment('acme', 'repo-0003', 1, 'a comment added between two runs');
    const forced = await sim.forcePush('acme', 'repo-0004', { branch: 'main' });
    expect(forced.oldSha).toBe(oldTip);

    const run = await runPlan(client, planId);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { succeeded: 20 } });
    const after = await snapshotsOf(client, planId, run.id);
    for (const name of ['repo-0001', 'repo-0002', 'repo-0004']) {
      expect(after.get(`acme/${name}`)?.refs).toEqual(sim.repository('acme', name).refs);
      expect(after.get(`acme/${name}`)?.newBytes).toBeGreaterThan(0);
    }
    expect(after.get('acme/repo-0003')?.metadata['issueComments']).toBe((before.get('acme/repo-0003')?.metadata['issueComments'] ?? 0) + 1);
    const bundleOf = (s: { files: { path: string; sha256: string }[] } | undefined) => s?.files.find((f) => f.path === 'repository.bundle')?.sha256;
    for (let i = 5; i <= 20; i++) {
      const name = `acme/repo-${String(i).padStart(4, '0')}`;
      expect({ name, bundle: bundleOf(after.get(name)) }).toEqual({ name, bundle: bundleOf(before.get(name)) });
    }
    // the older snapshot of the force-pushed repository still holds the old commits
    const old = before.get('acme/repo-0004');
    const response = await fetch(`${sut.stack.gatewayUrl}/v1/snapshots/${old?.id}/bundle`, { headers: { authorization: `Bearer ${apiKey}` } });
    const dir = mkdtempSync(join(tmpdir(), 'rv-old-'));
    try {
      writeFileSync(join(dir, 'old.bundle'), Buffer.from(await response.arrayBuffer()));
      execFileSync('git', ['clone', '--quiet', '--mirror', join(dir, 'old.bundle'), join(dir, 'old.git')]);
      expect(() => execFileSync('git', ['--git-dir', join(dir, 'old.git'), 'cat-file', '-e', `${oldTip}^{commit}`])).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('charges only the main and the toggled credentials when the switch is on; one added later is unused', async () => {
    const late = await client.POST('/v1/secrets', { body: { name: 'later', value: token('alice-2') } });
    await client.PATCH('/v1/plans/{id}', {
      params: { path: { id: planId } },
      body: { advanced: { additionalCredentials: { enabled: true, credentialIds: [credentials['bob'] ?? '', credentials['carol'] ?? ''] } } },
    });
    // dave exists but is not toggled; a credential added after the plan was saved is enabled nowhere
    const added = await client.POST('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } }, body: { method: 'token', secretId: late.data?.id } });
    expect(added.response.status).toBe(201);
    const plan = await client.GET('/v1/plans/{id}', { params: { path: { id: planId } } });
    expect(plan.data?.advanced.additionalCredentials.credentialIds).not.toContain(added.data?.id);
    sim.reset();
    const run = await runPlan(client, planId);
    expect(run.status).toBe('succeeded');
    const stats = sim.stats().identities;
    expect(stats[identity('bob')]?.requests).toBeGreaterThan(0);
    expect(stats[identity('carol')]?.requests).toBeGreaterThan(0);
    expect(stats[identity('dave')]?.requests ?? 0).toBe(0);
    const used = Object.keys(run.apiCalls.byCredential).sort();
    expect(used).toEqual([credentials['alice'], credentials['bob'], credentials['carol']].sort());
    expect(used).not.toContain(added.data?.id);
    expect(run.throttle.refusals).toBe(0);
  });

  it('marks the run partially-failed when one repository fails, and names it', async () => {
    sim.deleteRepository('acme', 'repo-0020'); // still in the inventory until the next sync
    const run = await runPlan(client, planId);
    expect(run).toMatchObject({ status: 'partially-failed', repositories: { total: 20, succeeded: 19, failed: 1 } });
    const { data } = await client.GET('/v1/runs/{id}/repositories', { params: { path: { id: run.id }, query: { limit: 200 } } });
    const failed = data?.items.filter((r) => r.status === 'failed') ?? [];
    expect(failed.map((r) => r.fullName)).toEqual(['acme/repo-0020']);
    expect(failed[0]?.error).toMatch(/not found/i);
    await sim.addRepository('acme', { name: 'repo-0020' });
  });

  it('completes every repository with four workers, one killed with SIGKILL halfway, with zero refusals', async () => {
    for (let i = 0; i < 3; i++) await sut.stack.waitReady(await sut.stack.addWorker());
    for (let i = 0; i < 6; i++) await sim.addCommits('acme', `repo-000${i + 1}`, { branch: 'main', count: 1 });
    sim.reset();
    const started = await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
    const runId = started.data?.id ?? '';
    for (;;) {
      const { data } = await client.GET('/v1/runs/{id}', { params: { path: { id: runId } } });
      if ((data?.repositories.succeeded ?? 0) >= 4) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const victim = sut.stack.workers()[1];
    if (!victim) throw new Error('no worker to kill');
    await sut.stack.kill(victim, 'SIGKILL');
    const run = await waitForRun(client, runId);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 20, succeeded: 20, failed: 0 } });
    expect(run.throttle.refusals).toBe(0);
    const stats = Object.values(sim.stats().identities);
    expect(stats.reduce((n, s) => n + s.refusals + s.violations, 0)).toBe(0);
    const snapshots = await snapshotsOf(client, planId, runId);
    expect(snapshots.size).toBe(20);
    for (const name of sim.listRepositories('acme')) expect(snapshots.get(`acme/${name}`)?.refs).toEqual(sim.repository('acme', name).refs);
  });
});
