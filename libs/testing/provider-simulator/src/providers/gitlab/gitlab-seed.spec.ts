import { SeedConfigError, validateSeedConfig } from '../../core/seeding/seed-config-validation';
import { demoSeed } from '../../demo-seed';
import { startSimulator } from '../../simulator';
import { gitlabDemoSeed } from './gitlab-demo-seed';
import { gitlabGet, gitlabSmallSeed, walkGitlabPages } from './gitlab-test-support';

const withGitlab = (gitlab: unknown): unknown => ({ seed: 's', users: [], organizations: [], gitlab });

describe('GitLab seed config', () => {
  it('names the path of what is wrong', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ groups: [{ path: 'g' }] }, /gitlab\.groups\[0\]\.owners: a top-level group needs at least one owner/],
      [{ users: [{ username: 'a' }], groups: [{ path: 'g', owners: ['a'], subgroups: [{ path: 'bad path' }] }] }, /gitlab\.groups\[0\]\.subgroups\[0\]\.path: "bad path" is not a valid GitLab group path/],
      [{ users: [{ username: 'a' }], groups: [{ path: 'g', owners: ['zed'] }] }, /unknown user "zed"/],
      [{ users: [{ username: 'a', tokens: [{ name: 't', expiresAt: 'soon' }] }] }, /gitlab\.users\[0\]\.tokens\[0\]\.expiresAt: expected a date YYYY-MM-DD/],
      [{ users: [{ username: 'a', tokens: [{ name: 't' }] }], groups: [{ path: 'g', owners: ['a'], accessTokens: [{ name: 't' }] }] }, /token name "t" used twice/],
      [{ users: [{ username: 'a' }], groups: [{ path: 'g', owners: ['a'], projects: [{ name: 'p', visibility: 'public' }] }] }, /cannot be more visible than its group/],
      [{ users: [{ username: 'a' }], groups: [{ path: 'g', owners: ['a'], projects: [{ name: 'p', branches: -1 }] }] }, /gitlab\.groups\[0\]\.projects\[0\]\.branches: expected a whole number/],
      [{ users: [{ username: 'a' }], groups: [{ path: 'g', owners: ['a'], members: [{ username: 'a', accessLevel: 'boss' }] }] }, /accessLevel: expected one of guest, reporter, developer, maintainer, owner/],
    ];
    for (const [gitlab, message] of cases) {
      expect(() => validateSeedConfig(withGitlab(gitlab))).toThrow(SeedConfigError);
      expect(() => validateSeedConfig(withGitlab(gitlab))).toThrow(message);
    }
    // token names and owners are unique across providers
    expect(() => validateSeedConfig({ ...demoSeed(), gitlab: { users: [{ username: 'x', tokens: [{ name: 'alice' }] }] } })).toThrow(/token name "alice" used twice/);
    expect(() => validateSeedConfig({ ...demoSeed(), gitlab: { users: [{ username: 'x' }], groups: [{ path: 'acme', owners: ['x'] }] } })).toThrow(/"acme" is already the name/);
    expect(validateSeedConfig({ ...demoSeed(), gitlab: gitlabDemoSeed() }).gitlab?.groups?.[0].path).toBe('acme-group');
  });

  it('derives everything from the seed string: same config, same tokens, ids and commits', async () => {
    const [a, b] = await Promise.all([startSimulator({ seed: gitlabSmallSeed(1) }), startSimulator({ seed: gitlabSmallSeed(1) })]);
    const c = await startSimulator({ seed: { ...gitlabSmallSeed(1), seed: 'another' } });
    try {
      expect(a.tokens).toEqual(b.tokens);
      expect(a.tokens['gl-alice']).toMatch(/^glpat-[0-9A-Za-z]{20}$/);
      expect(a.tokens['gl-alice-oauth']).toMatch(/^[0-9a-f]{64}$/);
      expect(a.repository('acme', 'lfs-wiki')).toEqual(b.repository('acme', 'lfs-wiki'));
      expect(a.identityOf(a.tokens['gl-group-bot'])).toBe(b.identityOf(b.tokens['gl-group-bot']));
      expect(c.tokens['gl-alice']).not.toBe(a.tokens['gl-alice']);
      expect(c.repository('acme', 'lfs-wiki').refs['refs/heads/main']).not.toBe(a.repository('acme', 'lfs-wiki').refs['refs/heads/main']);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('serves the GitLab demo next to the GitHub one: 50 projects, its tokens, and both in stats and hooks', async () => {
    expect(demoSeed().gitlab).toEqual(gitlabDemoSeed());
    const sim = await startSimulator({ seed: demoSeed() });
    try {
      const names = ['gl-alice', 'gl-alice-2', 'gl-alice-oauth', 'gl-alice-expired', 'gl-bob', 'gl-carol', 'gl-dave', 'gl-mallory', 'gl-project-bot', 'gl-group-bot'];
      expect(Object.keys(sim.tokens)).toEqual(expect.arrayContaining(['alice', 'mallory', ...names]));
      expect(sim.listRepositories('acme')).toHaveLength(50);
      expect(sim.listRepositories('acme-group')).toHaveLength(40);
      expect(sim.listRepositories('acme-group/platform')).toHaveLength(10);
      const projects = await walkGitlabPages<{ path_with_namespace: string }>(`${sim.gitlab.apiUrl}/groups/acme-group/projects?include_subgroups=true&per_page=100`, sim.tokens['gl-alice']);
      expect(projects.items).toHaveLength(50);
      const self = await gitlabGet<{ scopes: string[] }>(`${sim.gitlab.apiUrl}/personal_access_tokens/self`, sim.tokens['gl-dave']);
      expect(self.body.scopes).toEqual(['read_api']);
      expect(sim.identityOf(sim.tokens['gl-alice'])).toMatch(/^gitlab:user:/);
      expect(sim.identityOf(sim.tokens.alice)).toMatch(/^github:user:/);
      const stats = (await (await fetch(`${sim.gitlab.baseUrl}/__sim/stats`)).json()) as { identities: Record<string, unknown> };
      expect(Object.keys(stats.identities)).toEqual(expect.arrayContaining([sim.identityOf(sim.tokens['gl-alice']), 'gitlab:ip:127.0.0.1']));
      const info = (await (await fetch(`${sim.github.baseUrl}/__sim/info`)).json()) as { gitlab: { apiUrl: string }; identities: Record<string, string> };
      expect(info.gitlab.apiUrl).toBe(sim.gitlab.apiUrl);
      expect(info.identities['gl-project-bot']).toBe(sim.identityOf(sim.tokens['gl-project-bot']));
      const web = (await (await fetch(`${sim.gitlab.baseUrl}/__sim/repos/acme-group/web`)).json()) as { fullName: string; gitlab: { counts: { uploadLinks: number } } };
      expect(web.fullName).toBe('acme-group/web');
      expect(web.gitlab.counts.uploadLinks).toBeGreaterThan(0);
      const issue = (await gitlabGet<Array<{ iid: number; user_notes_count: number }>>(`${sim.gitlab.apiUrl}/projects/acme-group%2Fweb/issues`, sim.tokens['gl-alice'])).body[0];
      const note = await fetch(`${sim.gitlab.baseUrl}/__sim/repos/acme-group/web/issues/${issue.iid}/comments`, { method: 'POST', body: JSON.stringify({ body: 'hook note' }) });
      expect(note.status).toBe(201);
      const after = (await gitlabGet<Array<{ iid: number; user_notes_count: number }>>(`${sim.gitlab.apiUrl}/projects/acme-group%2Fweb/issues`, sim.tokens['gl-alice'])).body;
      expect(after.find((i) => i.iid === issue.iid)?.user_notes_count).toBe(issue.user_notes_count + 1);
    } finally {
      await sim.close();
    }
  });
});
