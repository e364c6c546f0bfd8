import { type ProviderFetch, createEgressFetch, withAuthorization } from '@repovault/providers/core';
import { type GitlabSeedConfig, type RunningSimulator, type SeedConfig, gitlabDemoSeed, matchGitlabContract } from '@repovault/testing/provider-simulator';
import { GitLabAdapter, type GitLabAdapterOptions, gitlabApiBaseUrl, gitlabAuthorization } from '../src';

/** The GitLab demo world plus what the adapter's tests need: a clone-only token and a group of 130 tiny projects (two pages). */
export function adapterTestSeed(): SeedConfig {
  const gitlab: GitlabSeedConfig = gitlabDemoSeed();
  const users = gitlab.users ?? [];
  users.push({ username: 'gitbot', tokens: [{ name: 'gl-git-only', scopes: ['read_repository'] }] });
  users.push({ username: 'bulk-owner', tokens: [{ name: 'gl-bulk' }] });
  gitlab.groups?.[0]?.members?.push({ username: 'gitbot', accessLevel: 'reporter' });
  gitlab.groups?.push({
    path: 'bulk',
    owners: ['bulk-owner'],
    generate: { count: 130, namePrefix: 'tiny', template: { branches: 0, tags: 0, commitsPerBranch: 1, metadata: { issues: 0, labels: 0, milestones: 0, commentsPerIssue: 0 } } },
  });
  return { seed: 'gitlab-adapter', users: [], organizations: [], gitlab };
}

/** Every request the adapters sent, for the contract check. */
export const sentRequests: Array<{ method: string; url: string }> = [];

export function adapterFor(sim: RunningSimulator, tokenName: string, options: GitLabAdapterOptions = {}, onRequest?: (url: string) => void): GitLabAdapter {
  const secret = sim.tokens[tokenName];
  if (!secret) throw new Error(`no token ${tokenName}`);
  const egress = createEgressFetch({ allowPrivateAddresses: true });
  const recording: ProviderFetch = (url, init) => {
    sentRequests.push({ method: (init?.method ?? 'GET').toUpperCase(), url });
    onRequest?.(url);
    return egress(url, init);
  };
  const apiBaseUrl = gitlabApiBaseUrl(sim.gitlab.baseUrl);
  return new GitLabAdapter({ apiBaseUrl, fetch: withAuthorization(recording, gitlabAuthorization(secret), [new URL(apiBaseUrl).origin]) }, options);
}

/** Requests outside the hand-written contract (unknown path or method, undocumented query parameter). */
export function requestsOutsideContract(): string[] {
  return sentRequests.flatMap(({ method, url }) => {
    const match = matchGitlabContract(method, url);
    if (!match) return [`${method} ${url}: not in the contract`];
    return match.unknownQuery.length > 0 ? [`${method} ${url}: undocumented ${match.unknownQuery.join(', ')}`] : [];
  });
}

export { MemorySink } from '@repovault/testing/support';
