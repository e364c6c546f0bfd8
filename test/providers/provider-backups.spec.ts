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
    expected: (r) => ({
      issues: r.metadataCounts.issues, pullRequests: r.metadataCounts.pulls, issueComments: r.metadataCounts.issueComments,
      reviewComments: r.metadataCounts.reviewComments, releases: r.metadataCounts.releases, labels: r.metadataCounts.labels, milestones: r.metadataCounts.milestones,
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
  const token = (name: string) => sim.tokens[name] ?? '';

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
    const upstream = c.owners.flatMap((owner) => sim.listRepositories(owner).map((name) => `${owner}/${name}`)).sort();
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
    const planId = await defaultPlanOf(client, organizationId);
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
});
