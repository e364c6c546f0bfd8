import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { defaultPlanOf, refsOfBundle, runPlan, snapshotsOf } from '../support/backup-helpers';
import { type StackUnderTest, startStack } from '../support/stack-harness';

type Counts = RunningSimulator extends { repository(o: string, n: string): infer R } ? R : never;

interface ProviderCase {
  provider: 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';
  organization: string;
  baseUrl(sim: RunningSimulator): string;
  includeGroups?: boolean;
  /** the accounts: main first; each token name with the username/email it is used with */
  accounts: { token: string; username?: string; email?: string }[];
  refusals: { token: string; username?: string; email?: string; detail: RegExp }[];
  /** owners (groups, workspaces, project keys) whose repositories the organization holds */
  owners: string[];
  /** our metadata counts from the simulator's, for the kinds this provider has */
  expected(summary: Counts): Record<string, number>;
  /**
   * Providers without free 304s: an unchanged second run asks only for what changed since the first
   * (`updated_after` / `q=updated_on>…`). `commentOn` names the metadata kind whose first record gets
   * a comment in between, the number to comment on, and the kind and count field the comment shows in.
   */
  /** a token that can clone but not read metadata: accepted, and a plan including metadata with it enabled warns */
  gitOnly?: { token: string; username?: string; email?: string };
  incremental?: {
    commentOn: 'issues' | 'pull-requests';
    numberOf(record: Record<string, unknown>): number;
    countField: string;
    /** calls an unchanged repository costs: one, or two on Bitbucket Cloud when its issue tracker is on (pull requests and issues have no common filter) */
    callsPerRepository(sim: RunningSimulator, fullNames: string[]): Promise<number>;
  };
}

const CASES: ProviderCase[] = [
  {
    provider: 'gitlab',
    organization: 'acme-group',
    baseUrl: (sim) => sim.gitlab.baseUrl,
    includeGroups: true,
    accounts: [{ token: 'gl-alice', username: 'alice' }, { token: 'gl-bob', username: 'bob' }, { token: 'gl-carol', username: 'carol' }],
    refusals: [
      { token: 'gl-dave', username: 'dave', detail: /read_repository/ },
      { token: 'gl-mallory', username: 'mallory', detail: /cannot see the organization "acme-group"/ },
      { token: 'gl-alice-expired', username: 'alice', detail: /expired|rejected/ },
    ],
    owners: ['acme-group', 'acme-group/platform'],
    incremental: { commentOn: 'issues', numberOf: (issue) => Number(issue['iid']), countField: 'issueComments', callsPerRepository: (_, names) => Promise.resolve(names.length) },
    expected: (r) => ({
      issues: r.metadataCounts.issues, pullRequests: r.metadataCounts.pulls, issueComments: r.metadataCounts.issueComments,
      reviewComments: r.metadataCounts.reviewComments, releases: r.metadataCounts.releases,
      // with includeGroups each project's snapshot also holds its groups' labels and milestones
      labels: r.metadataCounts.labels + (r.gitlab?.counts.groupLabels ?? NaN), milestones: r.metadataCounts.milestones + (r.gitlab?.counts.groupMilestones ?? NaN),
    }),
  },
  {
    provider: 'bitbucket-cloud',
    organization: 'acme-ws',
    baseUrl: (sim) => sim.bitbucketCloud.apiUrl,
    accounts: [{ token: 'bbc-alice', email: 'alice@example.com' }, { token: 'bbc-bob', email: 'bob@example.com' }, { token: 'bbc-carol', email: 'carol@example.com' }],
    refusals: [
      { token: 'bbc-erin-app-password', username: 'erin', detail: /2026-07-28/ },
      { token: 'bbc-mallory', email: 'mallory@example.com', detail: /cannot see the organization "acme-ws"/ },
    ],
    owners: ['acme-ws'],
    gitOnly: { token: 'bbc-dave-git-only', email: 'dave@example.com' },
    incremental: {
      commentOn: 'pull-requests', numberOf: (pull) => Number(pull['id']), countField: 'reviewComments',
      callsPerRepository: async (sim, names) => {
        const auth = `Basic ${Buffer.from(`alice@example.com:${sim.tokens['bbc-alice'] ?? ''}`).toString('base64')}`;
        const page = (await (await fetch(`${sim.bitbucketCloud.apiUrl}/repositories/acme-ws?pagelen=100`, { headers: { authorization: auth } })).json()) as { values: { full_name: string; has_issues: boolean }[] };
        const tracked = page.values.filter((r) => names.includes(r.full_name) && r.has_issues).length;
        return names.length + tracked;
      },
    },
    expected: (r) => {
      const c = (r as Counts & { bitbucketCloud?: { pullRequests: number; pullRequestComments: number; issues: number; issueComments: number } }).bitbucketCloud;
      return { pullRequests: c?.pullRequests ?? -1, reviewComments: c?.pullRequestComments ?? -1, issues: c?.issues ?? -1, issueComments: c?.issueComments ?? -1 };
    },
  },
  {
    provider: 'bitbucket-dc',
    organization: 'ENG',
    baseUrl: (sim) => sim.bitbucketDc.baseUrl,
    accounts: [{ token: 'bbdc-alice', username: 'alice' }, { token: 'bbdc-bob', username: 'bob' }, { token: 'bbdc-carol', username: 'carol' }],
    refusals: [{ token: 'bbdc-mallory', username: 'mallory', detail: /cannot read any project|cannot see the organization "ENG"/ }],
    owners: ['ENG'],
    expected: (r) => {
      const c = (r as Counts & { bitbucketDc?: { pullRequests: number; comments: number; reviews: number } }).bitbucketDc;
      return { pullRequests: c?.pullRequests ?? -1, reviewComments: c?.comments ?? -1, reviews: c?.reviews ?? -1 };
    },
  },
];

describe.each(CASES)('$provider: onboarded, throttle-proof and backed up', (c) => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let apiKey: string;
  let planId = '';
  let upstream: string[] = [];
  const token = (name: string) => sim.tokens[name] ?? '';
  /** provider API calls (not git) of the provider's user identities since the last reset, and refusals and violations of all */
  const apiUsage = () => {
    const mine = Object.entries(sim.stats().identities).filter(([identity]) => identity.startsWith(`${c.provider}:`));
    const users = mine.filter(([identity]) => !identity.includes(':ip:'));
    return {
      calls: users.reduce((n, [, s]) => n + s.requests - (s.byResource['git'] ?? 0) - (s.byResource['lfs'] ?? 0), 0),
      refusals: mine.reduce((n, [, s]) => n + s.refusals, 0),
      violations: mine.reduce((n, [, s]) => n + s.violations, 0),
    };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed(`providers-${c.provider}`) });
    sut = await startStack({ workers: 1 });
    const tenant = await sut.newTenant();
    client = tenant.client;
    apiKey = tenant.apiKey;
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  it('onboards the organization, refuses what cannot work, and backs up every repository with three credentials', async () => {
    const [main, ...others] = c.accounts;
    const org = await client.POST('/v1/organizations', {
      body: {
        provider: c.provider, baseUrl: c.baseUrl(sim), name: c.organization, includeGroups: c.includeGroups,
        auth: { method: 'token', username: main?.username, email: main?.email, secret: token(main?.token ?? '') },
      },
    });
    expect(org.error).toBeUndefined();
    const organizationId = org.data?.id ?? '';
    upstream = c.owners.flatMap((owner) => sim.listRepositories(owner).map((name) => `${owner}/${name}`)).sort();
    const listed = await client.GET('/v1/organizations/{id}/repositories', { params: { path: { id: organizationId }, query: { limit: 200 } } });
    expect(listed.data?.items.map((r) => r.fullName).sort()).toEqual(upstream);

    for (const refusal of c.refusals) {
      const refused = await client.POST('/v1/organizations/{organizationId}/credentials', {
        params: { path: { organizationId } },
        body: { method: 'token', username: refusal.username, email: refusal.email, secret: token(refusal.token) },
      });
      expect({ token: refusal.token, status: refused.response.status }).toEqual({ token: refusal.token, status: 422 });
      expect(refused.error?.detail).toMatch(refusal.detail);
    }

    const enabled: string[] = [];
    for (const account of others) {
      const added = await client.POST('/v1/organizations/{organizationId}/credentials', {
        params: { path: { organizationId } },
        body: { method: 'token', username: account.username, email: account.email, secret: token(account.token) },
      });
      expect(added.error).toBeUndefined();
      enabled.push(added.data?.id ?? '');
    }
    planId = await defaultPlanOf(client, organizationId);
    await client.PATCH('/v1/plans/{id}', { params: { path: { id: planId } }, body: { advanced: { additionalCredentials: { enabled: true, credentialIds: enabled } } } });

    sim.reset();
    const run = await runPlan(client, planId, 300_000);
    expect(run.errors.slice(0, 2)).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: upstream.length, succeeded: upstream.length, failed: 0 } });
    expect(run.throttle.refusals).toBe(0);
    const stats = Object.entries(sim.stats().identities).filter(([identity]) => identity.startsWith(`${c.provider}:`));
    expect(stats.reduce((n, [, s]) => n + s.refusals + s.violations, 0)).toBe(0);
    expect(Object.keys(run.apiCalls.byCredential).length).toBe(3);

    const snapshots = await snapshotsOf(client, planId, run.id);
    expect(snapshots.size).toBe(upstream.length);
    for (const fullName of upstream) {
      const slash = fullName.lastIndexOf('/');
      const summary = sim.repository(fullName.slice(0, slash), fullName.slice(slash + 1));
      const snapshot = snapshots.get(fullName);
      expect({ fullName, refs: snapshot?.refs }).toEqual({ fullName, refs: summary.refs });
      const expected = c.expected(summary);
      const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, snapshot?.metadata[k]]));
      expect({ fullName, metadata: actual }).toEqual({ fullName, metadata: expected });
      expect((snapshot?.files ?? []).filter((f) => f.path.startsWith('lfs/')).map((f) => f.sha256).sort()).toEqual([...summary.lfsOids].sort());
    }
    const first = snapshots.get(upstream[0] ?? '');
    expect(await refsOfBundle(sut.stack.gatewayUrl, apiKey, first?.id ?? '')).toEqual(first?.refs);
  });

  const incremental = c.incremental;
  (incremental ? it : it.skip)('backs up an unchanged organization again for at most one call per repository plus the listing, and captures a comment added in between', async () => {
    if (!incremental) return;
    const before = await snapshotsOf(client, planId);
    const target = before.get(upstream[0] ?? '');
    const records = await client.GET('/v1/snapshots/{id}/metadata/{kind}', { params: { path: { id: target?.id ?? '', kind: incremental.commentOn } }, parseAs: 'text' });
    const first = JSON.parse(String(records.data ?? '').split('\n')[0] ?? 'null') as Record<string, unknown> | null;
    expect(first).not.toBeNull();
    const [owner, name] = [upstream[0]?.slice(0, upstream[0].lastIndexOf('/')) ?? '', upstream[0]?.slice(upstream[0].lastIndexOf('/') + 1) ?? ''];
    sim.addIssueComment(owner, name, incremental.numberOf(first ?? {}), 'a comment between two runs');

    const perRepository = await incremental.callsPerRepository(sim, upstream);
    sim.reset();
    const run = await runPlan(client, planId, 300_000);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { succeeded: upstream.length, failed: 0 } });
    const usage = apiUsage();
    // the listing: a page per owner at most here (100 per page), plus the group or workspace lookup
    const listing = c.owners.length * 2;
    process.stdout.write(`${c.provider}: unchanged re-run of ${upstream.length} repositories cost ${usage.calls} API calls (limit ${perRepository} + ${listing} for the listing)\n`);
    expect(usage.calls).toBeLessThanOrEqual(perRepository + listing);
    expect(usage).toMatchObject({ refusals: 0, violations: 0 });

    const after = await snapshotsOf(client, planId, run.id);
    for (const fullName of upstream) {
      const previous = before.get(fullName);
      const now = after.get(fullName);
      const added = fullName === upstream[0] ? 1 : 0;
      expect({ fullName, count: now?.metadata[incremental.countField] }).toEqual({ fullName, count: (previous?.metadata[incremental.countField] ?? 0) + added });
      for (const [kind, count] of Object.entries(previous?.metadata ?? {})) if (kind !== incremental.countField) expect({ fullName, kind, count: now?.metadata[kind] }).toEqual({ fullName, kind, count });
    }
    const commentsKind = incremental.countField === 'issueComments' ? 'issue-comments' : 'review-comments';
    const comments = await client.GET('/v1/snapshots/{id}/metadata/{kind}', { params: { path: { id: after.get(upstream[0] ?? '')?.id ?? '', kind: commentsKind } }, parseAs: 'text' });
    expect(String(comments.data ?? '')).toContain('a comment between two runs');
  });

  const gitOnly = c.gitOnly;
  (gitOnly ? it : it.skip)('accepts a git-only credential and warns on a plan that includes metadata with it enabled', async () => {
    if (!gitOnly) return;
    const organizationId = (await client.GET('/v1/plans/{id}', { params: { path: { id: planId } } })).data?.organizationId ?? '';
    const added = await client.POST('/v1/organizations/{organizationId}/credentials', {
      params: { path: { organizationId } },
      body: { method: 'token', username: gitOnly.username, email: gitOnly.email, secret: token(gitOnly.token) },
    });
    expect(added.error).toBeUndefined();
    expect(added.data?.capabilities).toEqual({ git: true, metadata: false });
    const before = (await client.GET('/v1/plans/{id}', { params: { path: { id: planId } } })).data;
    const enabled = [...(before?.advanced.additionalCredentials.credentialIds ?? []), added.data?.id ?? ''];
    const patched = await client.PATCH('/v1/plans/{id}', { params: { path: { id: planId } }, body: { advanced: { additionalCredentials: { enabled: true, credentialIds: enabled } } } });
    expect(patched.data?.warnings).toEqual([expect.stringContaining(`(${added.data?.id ?? ''}) cannot read metadata`)]);
    const gitOnlyPlan = await client.PATCH('/v1/plans/{id}', {
      params: { path: { id: planId } },
      body: { include: { issues: false, pullRequests: false, comments: false, releases: false, labels: false, milestones: false } },
    });
    expect(gitOnlyPlan.data?.warnings).toEqual([]);
  });
});
