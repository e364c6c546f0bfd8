import { createEgressFetch, UpstreamRateLimitedError, withAuthorization } from '@repovault/providers/core';
import { type RunningSimulator, gitlabDemoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import {
  GITLAB_CLOUD_API_BASE_URL, GitLabAdapter, classifyGitLabSecret, gitlabApiBaseUrl, gitlabAuthorization, gitlabBudgetFrom, gitlabGitAuthorization,
  gitlabInstanceRoot, gitlabRateLimitFrom, gitlabResourceOf, gitlabResourcesOf, hasGitLabScope,
} from '../src';

describe('GitLab helpers for the catalog', () => {
  it('resolves the API base URL of gitlab.com and of self-managed instances', () => {
    expect(gitlabApiBaseUrl(null)).toBe(GITLAB_CLOUD_API_BASE_URL);
    expect(gitlabApiBaseUrl(undefined)).toBe('https://gitlab.com/api/v4');
    expect(gitlabApiBaseUrl('https://gitlab.com')).toBe('https://gitlab.com/api/v4');
    expect(gitlabApiBaseUrl('https://git.example.com')).toBe('https://git.example.com/api/v4');
    expect(gitlabApiBaseUrl('https://git.example.com/')).toBe('https://git.example.com/api/v4');
    expect(gitlabApiBaseUrl('https://example.com/gitlab')).toBe('https://example.com/gitlab/api/v4');
    expect(gitlabApiBaseUrl('https://git.example.com/api/v4')).toBe('https://git.example.com/api/v4');
    expect(gitlabInstanceRoot('https://example.com/gitlab/api/v4')).toBe('https://example.com/gitlab');
    expect(() => gitlabInstanceRoot('https://example.com/api/v3')).toThrow(/must end with \/api\/v4/);
  });

  it('authorizes REST calls with Bearer and git with Basic oauth2:<token>', () => {
    expect(gitlabAuthorization('glpat-abc')).toBe('Bearer glpat-abc');
    const git = gitlabGitAuthorization('glpat-abc', 'project');
    expect(Buffer.from(git.slice('Basic '.length), 'base64').toString()).toBe('oauth2:glpat-abc');
    expect(gitlabGitAuthorization('a'.repeat(64), 'oauth')).toBe(`Basic ${Buffer.from(`oauth2:${'a'.repeat(64)}`).toString('base64')}`);
  });

  it('knows which budget a path draws from', () => {
    expect(gitlabResourceOf('/api/v4/groups/acme%2Fplatform/projects')).toBe('groups-projects');
    expect(gitlabResourceOf('/gitlab/api/v4/groups/12/projects?include_subgroups=true')).toBe('groups-projects');
    expect(gitlabResourceOf('/api/v4/projects')).toBe('projects-list');
    expect(gitlabResourceOf('/api/v4/projects?membership=true')).toBe('projects-list');
    expect(gitlabResourceOf('/api/v4/groups')).toBe('groups');
    expect(gitlabResourceOf('/api/v4/groups/acme')).toBe('api');
    expect(gitlabResourceOf('/api/v4/projects/acme%2Fweb/issues')).toBe('api');
    expect(gitlabResourceOf('/acme/web.git/info/refs')).toBe('git');
    expect(gitlabResourcesOf('/api/v4/projects')).toEqual(['projects-list', 'api']);
    expect(gitlabResourcesOf('/api/v4/user')).toEqual(['api']);
  });

  it('reads budgets from RateLimit-* and Retry-After', () => {
    const now = 1_700_000_000_000;
    const headers = new Headers({ 'ratelimit-limit': '2000', 'ratelimit-remaining': '1990', 'ratelimit-observed': '10', 'ratelimit-reset': '1700000060', 'ratelimit-name': 'throttle_authenticated_api' });
    expect(gitlabBudgetFrom(200, headers, now)).toEqual({ limit: 2000, remaining: 1990, observed: 10, resetAt: 1_700_000_060_000, name: 'throttle_authenticated_api' });
    expect(gitlabBudgetFrom(429, { 'RateLimit-Limit': 2000, 'RateLimit-Remaining': 0, 'Retry-After': '17', 'RateLimit-Reset': '1700000060' }, now)).toMatchObject({ remaining: 0, retryAfterMs: 17_000 });
    expect(gitlabBudgetFrom(429, { 'retry-after': 'Tue, 14 Nov 2023 22:13:50 GMT' }, now).retryAfterMs).toBe(30_000);
    expect(gitlabBudgetFrom(429, { 'ratelimit-resettime': 'Tue, 14 Nov 2023 22:14:20 GMT' }, now)).toEqual({ resetAt: now + 60_000, retryAfterMs: 60_000 });
    expect(gitlabBudgetFrom(429, {}, now)).toEqual({});
    expect(gitlabRateLimitFrom(headers)).toEqual({ limit: 2000, remaining: 1990, resetAt: new Date(1_700_000_060_000).toISOString(), resource: 'api' });
    expect(gitlabRateLimitFrom({})).toBeNull();
  });

  it('classifies secrets and scopes', () => {
    expect(classifyGitLabSecret('glpat-xyz')).toBe('access-token');
    expect(classifyGitLabSecret('f'.repeat(64))).toBe('oauth-access-token');
    expect(classifyGitLabSecret('gldt-xyz')).toBe('deploy-token');
    expect(classifyGitLabSecret('custom-prefix-xyz')).toBe('unknown');
    expect(hasGitLabScope(['api'], 'read_api')).toBe(true);
    expect(hasGitLabScope(['api'], 'read_repository')).toBe(true);
    expect(hasGitLabScope(['write_repository'], 'read_repository')).toBe(true);
    expect(hasGitLabScope(['read_user'], 'read_api')).toBe(false);
  });

  describe('against a throttled simulator', () => {
    let sim: RunningSimulator;
    beforeAll(async () => {
      sim = await startSimulator({ seed: { seed: 'helpers', users: [], organizations: [], gitlab: gitlabDemoSeed() }, gitlab: { authenticatedApiLimit: 3, groupProjectsLimit: 1 } });
    }, 60_000);
    afterAll(() => sim?.close());

    function adapter(): GitLabAdapter {
      const apiBaseUrl = gitlabApiBaseUrl(sim.gitlab.baseUrl);
      return new GitLabAdapter({ apiBaseUrl, fetch: withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), gitlabAuthorization(sim.tokens['gl-bob'] ?? ''), [new URL(apiBaseUrl).origin]) });
    }

    it('maps a header-less endpoint 429 and a throttle 429 to UpstreamRateLimitedError', async () => {
      const list = async (): Promise<void> => {
        for await (const repo of adapter().listRepositories('acme-group')) void repo;
      };
      await list();
      const headerless = await list().catch((error: unknown) => error);
      expect(headerless).toBeInstanceOf(UpstreamRateLimitedError);
      expect((headerless as UpstreamRateLimitedError).retryAfterMs).toBeNull();
      const throttled = await adapter().identify().catch((error: unknown) => error);
      expect(throttled).toBeInstanceOf(UpstreamRateLimitedError);
      expect((throttled as UpstreamRateLimitedError).retryAfterMs).toBeGreaterThan(0);
      expect((throttled as Error).message).toContain('throttle_authenticated_api');
    });
  });
});
