import type { RepoVaultClient } from '@repovault/contracts/public-api';
import type { RunningSimulator, SeedConfig } from '@repovault/testing/provider-simulator';
import { defaultPlanOf } from './backup-helpers';

/** `users` members with one classic token each (u1 owns the organization), `repositories` demo repositories. */
export function throttleSeed(users: number, repositories: number, name = 'throttle'): SeedConfig {
  const logins = Array.from({ length: users }, (_, i) => `u${i + 1}`);
  return {
    seed: `${name}-${users}-${repositories}`,
    users: logins.map((login) => ({ login, tokens: [{ name: login, kind: 'classic', scopes: ['repo', 'read:org'] }] })),
    organizations: [{ login: 'acme', owners: ['u1'], members: logins.slice(1), generate: { count: repositories, namePrefix: 'repo' } }],
  };
}

/** Connects acme with u1 as main credential, the others as additional ones enabled in the default plan. */
export async function connectThrottleOrg(client: RepoVaultClient, sim: RunningSimulator, users: number, include?: { git: boolean }): Promise<{ organizationId: string; planId: string; credentialIds: string[] }> {
  const org = await client.POST('/v1/organizations', {
    body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', secret: sim.tokens['u1'] ?? '' } },
  });
  if (!org.data) throw new Error(`organization: ${JSON.stringify(org.error)}`);
  const credentialIds = [org.data.mainCredentialId ?? ''];
  const additional: string[] = [];
  for (let i = 2; i <= users; i++) {
    const added = await client.POST('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: org.data.id } }, body: { method: 'token', secret: sim.tokens[`u${i}`] ?? '' } });
    if (!added.data) throw new Error(`credential u${i}: ${JSON.stringify(added.error)}`);
    additional.push(added.data.id);
  }
  const planId = await defaultPlanOf(client, org.data.id);
  const git = include?.git ?? false;
  await client.PATCH('/v1/plans/{id}', {
    params: { path: { id: planId } },
    body: {
      include: { git, lfs: git, wiki: git, issues: true, pullRequests: true, comments: true, releases: true, labels: true, milestones: true },
      advanced: { additionalCredentials: { enabled: additional.length > 0, credentialIds: additional } },
    },
  });
  return { organizationId: org.data.id, planId, credentialIds: [...credentialIds, ...additional] };
}

/** Primary-budget calls the simulator charged (304s and refusals excluded), refusals and violations. */
export function simulatorCost(sim: RunningSimulator): { charged: number; refusals: number; violations: number; notModified: number } {
  let charged = 0;
  let refusals = 0;
  let violations = 0;
  let notModified = 0;
  for (const [identity, s] of Object.entries(sim.stats().identities)) {
    if (!identity.startsWith('github:user:')) continue;
    charged += s.byResource.core - s.notModified - s.refusals;
    refusals += s.refusals;
    violations += s.violations;
    notModified += s.notModified;
  }
  return { charged, refusals, violations, notModified };
}
