import type { SeedConfig } from '../../core/seeding/seed-config';

/**
 * A small GitLab world for tests: private group `acme` (owner alice; bob developer; nora reporter
 * with two narrow tokens; a group access token), its subgroup `acme/platform` and sub-subgroup
 * `acme/platform/deep`, and a public group `opensource`; mallory is an outsider.
 */
export function gitlabSmallSeed(projects = 4): SeedConfig {
  return {
    seed: 'gitlab-integration',
    users: [],
    organizations: [],
    gitlab: {
      users: [
        {
          username: 'alice',
          tokens: [
            { name: 'gl-alice' },
            { name: 'gl-alice-2', scopes: ['api'] },
            { name: 'gl-alice-oauth', kind: 'oauth', scopes: ['api'] },
            { name: 'gl-alice-expired', expiresAt: '2024-01-01' },
            { name: 'gl-alice-revoked', revoked: true },
          ],
        },
        { username: 'bob', tokens: [{ name: 'gl-bob' }] },
        { username: 'nora', tokens: [{ name: 'gl-nora-read-api', scopes: ['read_api'] }, { name: 'gl-nora-read-repository', scopes: ['read_repository'] }] },
        { username: 'mallory', tokens: [{ name: 'gl-mallory' }] },
      ],
      groups: [
        {
          path: 'acme',
          owners: ['alice'],
          members: ['bob', { username: 'nora', accessLevel: 'reporter' }],
          labels: 2,
          milestones: 1,
          accessTokens: [{ name: 'gl-group-bot', accessLevel: 'reporter' }],
          projects: [
            {
              name: 'lfs-wiki',
              lfsObjects: 3,
              wiki: true,
              branches: 2,
              commitsPerBranch: 3,
              tags: 2,
              metadata: { issues: 4, pulls: 2, assetsPerRelease: 2, releases: 2 },
              accessTokens: [{ name: 'gl-project-bot', accessLevel: 'reporter' }],
            },
          ],
          generate: { count: projects, namePrefix: 'svc' },
          subgroups: [{ path: 'platform', milestones: 1, generate: { count: 3, namePrefix: 'plat' }, subgroups: [{ path: 'deep', projects: [{ name: 'core' }] }] }],
        },
        { path: 'opensource', visibility: 'public', owners: ['bob'], projects: [{ name: 'public-one' }] },
      ],
    },
  };
}

export interface GitlabResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A GET against the simulator as a GitLab client sends it (`Authorization: Bearer`). */
export async function gitlabGet<T>(url: string, token?: string, headers: Record<string, string> = {}): Promise<GitlabResponse<T>> {
  const res = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, headers: res.headers, body: (json && text ? JSON.parse(text) : text) as T };
}

/** The URL with `rel="next"` in a `link` header, if any. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="next"/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

/** Follows `link: rel="next"` from the first page to the last. */
export async function walkGitlabPages<T>(firstUrl: string, token?: string): Promise<{ items: T[]; responses: Array<GitlabResponse<T[]>> }> {
  const items: T[] = [];
  const responses: Array<GitlabResponse<T[]>> = [];
  let url: string | undefined = firstUrl;
  while (url) {
    const page: GitlabResponse<T[]> = await gitlabGet<T[]>(url, token);
    if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}: ${JSON.stringify(page.body)}`);
    responses.push(page);
    items.push(...page.body);
    url = nextLink(page.headers.get('link'));
    if (responses.length > 500) throw new Error('pagination does not end');
  }
  return { items, responses };
}
