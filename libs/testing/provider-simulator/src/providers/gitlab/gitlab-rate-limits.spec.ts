import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator';
import { gitlabGet, gitlabSmallSeed } from './gitlab-test-support';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function rate(headers: Headers): { name: string | null; limit: number; observed: number; remaining: number; reset: number } {
  return {
    name: headers.get('ratelimit-name'),
    limit: Number(headers.get('ratelimit-limit')),
    observed: Number(headers.get('ratelimit-observed')),
    remaining: Number(headers.get('ratelimit-remaining')),
    reset: Number(headers.get('ratelimit-reset')),
  };
}

async function withSimulator(options: Omit<SimulatorOptions, 'seed'>, body: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ seed: gitlabSmallSeed(0), ...options });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

/** Windows are aligned to the (scaled) minute, as Rack::Attack's are: start a sequence early in one. */
async function freshWindow(periodMs: number, needMs: number): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < needMs) await sleep(left + 5);
}

describe('GitLab rate limits', () => {
  it('throttles per user at the per-minute limit, with RateLimit-* headers and a 429 "Retry later"', async () => {
    await withSimulator({ gitlab: { authenticatedApiLimit: 5 } }, async (sim) => {
      const url = `${sim.gitlab.apiUrl}/projects/acme%2Flfs-wiki`;
      await freshWindow(60_000, 5_000);
      const seen: Array<ReturnType<typeof rate>> = [];
      for (let i = 0; i < 3; i++) seen.push(rate((await gitlabGet(url, sim.tokens['gl-alice'])).headers));
      // a second token of the same user draws from the same budget
      for (let i = 0; i < 2; i++) seen.push(rate((await gitlabGet(url, sim.tokens['gl-alice-2'])).headers));
      expect(seen.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0]);
      expect(seen.map((r) => r.observed)).toEqual([1, 2, 3, 4, 5]);
      expect(seen.every((r) => r.name === 'throttle_authenticated_api' && r.limit === 5 && r.reset === seen[0].reset)).toBe(true);
      expect(seen[0].reset % 60).toBe(0);
      expect(seen[0].reset * 1000 - Date.now()).toBeLessThanOrEqual(60_000);

      const refused = await gitlabGet<string>(url, sim.tokens['gl-alice']);
      expect(refused.status).toBe(429);
      expect(refused.body).toBe('Retry later\n');
      expect(rate(refused.headers)).toMatchObject({ name: 'throttle_authenticated_api', limit: 5, remaining: 0, observed: 6, reset: seen[0].reset });
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers.get('ratelimit-resettime')).toBe(new Date(seen[0].reset * 1000).toUTCString());

      // bob has a budget of his own
      expect(rate((await gitlabGet(url, sim.tokens['gl-bob'])).headers).remaining).toBe(4);
      const alice = sim.stats().identities[sim.identityOf(sim.tokens['gl-alice'])];
      expect(alice).toMatchObject({ requests: 6, refusals: 1, violations: 1, refusalsByReason: { throttle_authenticated_api: 1 } });
      expect(alice.byResource.api).toBe(6);
    });
  });

  it('throttles every caller of one IP address together once the per-IP limit is spent', async () => {
    await withSimulator({ gitlab: { authenticatedApiLimit: 100, ipLimit: 4 } }, async (sim) => {
      const url = `${sim.gitlab.apiUrl}/user`;
      await freshWindow(60_000, 5_000);
      // the headers describe whichever counter is closer to its limit: here the address's
      expect(rate((await gitlabGet(url, sim.tokens['gl-alice'])).headers)).toMatchObject({ name: 'throttle_ip_all_traffic', limit: 4, remaining: 3 });
      await gitlabGet(url, sim.tokens['gl-alice']);
      expect(rate((await gitlabGet(url, sim.tokens['gl-bob'])).headers)).toMatchObject({ name: 'throttle_ip_all_traffic', limit: 4, remaining: 1 });
      expect(rate((await gitlabGet(url, sim.tokens['gl-bob'])).headers)).toMatchObject({ name: 'throttle_ip_all_traffic', remaining: 0 });
      const refused = await gitlabGet(url, sim.tokens['gl-mallory']);
      expect(refused.status).toBe(429);
      expect(rate(refused.headers)).toMatchObject({ name: 'throttle_ip_all_traffic', limit: 4, remaining: 0 });
      expect(refused.headers.get('retry-after')).not.toBeNull();

      const stats = sim.stats().identities;
      expect(stats['gitlab:ip:127.0.0.1']).toMatchObject({ requests: 5, refusals: 1, violations: 1 });
      // mallory was never told anything: refused, but no violation of hers
      expect(stats[sim.identityOf(sim.tokens['gl-mallory'])]).toMatchObject({ requests: 1, refusals: 1, violations: 0 });
      // ... and after that 429 a request of hers inside the Retry-After window is one
      await gitlabGet(url, sim.tokens['gl-mallory']);
      expect(sim.stats().identities[sim.identityOf(sim.tokens['gl-mallory'])]).toMatchObject({ requests: 2, refusals: 2, violations: 1 });
    });
  });

  it('refuses /groups/:id/projects past its own limit with a header-less 429 while the headers showed room', async () => {
    await withSimulator({ gitlab: { groupProjectsLimit: 2 } }, async (sim) => {
      const url = `${sim.gitlab.apiUrl}/groups/acme/projects?include_subgroups=true&per_page=100`;
      await freshWindow(60_000, 5_000);
      for (let i = 0; i < 2; i++) {
        const ok = await gitlabGet(url, sim.tokens['gl-alice']);
        expect(ok.status).toBe(200);
        expect(rate(ok.headers).remaining).toBe(2000 - (i + 1));
      }
      const refused = await gitlabGet<unknown>(url, sim.tokens['gl-alice']);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ message: { error: 'This endpoint has been requested too many times. Try again later.' } });
      expect([...refused.headers.keys()].filter((h) => h.startsWith('ratelimit') || h === 'retry-after')).toEqual([]);
      // the rest of the API still answers
      expect((await gitlabGet(`${sim.gitlab.apiUrl}/groups/acme`, sim.tokens['gl-alice'])).status).toBe(200);
      expect(sim.stats().identities[sim.identityOf(sim.tokens['gl-alice'])]).toMatchObject({
        requests: 4, refusals: 1, violations: 0, refusalsByReason: { 'endpoint-groups-projects': 1 },
      });
    });
  });

  it('limits /projects per ten minutes and /groups per minute, also without headers', async () => {
    await withSimulator({ gitlab: { projectsListLimit: 1, groupsListLimit: 1 } }, async (sim) => {
      for (const path of ['/projects?membership=true', '/groups']) {
        expect((await gitlabGet(`${sim.gitlab.apiUrl}${path}`, sim.tokens['gl-bob'])).status).toBe(200);
        const refused = await gitlabGet(`${sim.gitlab.apiUrl}${path}`, sim.tokens['gl-bob']);
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBeNull();
      }
    });
  });

  it('counts a request inside a Retry-After window as a violation, and none once the window has passed (time scale)', async () => {
    // timeScale 60: a minute lasts one second
    await withSimulator({ timeScale: 60, gitlab: { authenticatedApiLimit: 2 } }, async (sim) => {
      const url = `${sim.gitlab.apiUrl}/user`;
      const bob = (): ReturnType<typeof gitlabGet> => gitlabGet(url, sim.tokens['gl-bob']);
      const stats = (): { requests: number; violations: number; refusals: number } => sim.stats().identities[sim.identityOf(sim.tokens['gl-bob'])];
      await freshWindow(1000, 600);
      // two requests at once use up the budget; the one that arrives alongside is refused, but it could not have known
      const [a, b, c] = await Promise.all([bob(), bob(), bob()]);
      expect([a, b, c].map((r) => r.status).sort()).toEqual([200, 200, 429]);
      const refused = [a, b, c].find((r) => r.status === 429);
      expect(stats()).toMatchObject({ requests: 3, refusals: 1 });
      const early = stats().violations;
      expect(Number(refused?.headers.get('retry-after'))).toBe(1);
      // inside the Retry-After window
      expect((await bob()).status).toBe(429);
      expect(stats().violations).toBe(early + 1);
      await sleep(Math.max(0, Number(refused?.headers.get('ratelimit-reset')) * 1000 - Date.now()) + 5);
      const fresh = await bob();
      expect(fresh.status).toBe(200);
      expect(rate(fresh.headers)).toMatchObject({ remaining: 1, observed: 1 });
      expect(stats()).toMatchObject({ requests: 5, refusals: 2, violations: early + 1 });
    });
  });

  it('throttles git over HTTPS per user at its own limit', async () => {
    await withSimulator({ gitlab: { gitLimit: 2 } }, async (sim) => {
      const url = `${sim.gitlab.baseUrl}/acme/lfs-wiki.git/info/refs?service=git-upload-pack`;
      const authorization = `Basic ${Buffer.from(`oauth2:${sim.tokens['gl-alice']}`).toString('base64')}`;
      await freshWindow(60_000, 5_000);
      const first = await fetch(url, { headers: { authorization } });
      await first.arrayBuffer();
      expect(first.status).toBe(200);
      expect(rate(first.headers)).toMatchObject({ name: 'throttle_authenticated_git_http', limit: 2, remaining: 1 });
      await (await fetch(url, { headers: { authorization } })).arrayBuffer();
      const refused = await fetch(url, { headers: { authorization } });
      expect(refused.status).toBe(429);
      expect(await refused.text()).toBe('Retry later\n');
      expect(refused.headers.get('retry-after')).not.toBeNull();
      // the API budget is a different one
      expect((await gitlabGet(`${sim.gitlab.apiUrl}/user`, sim.tokens['gl-alice'])).status).toBe(200);
      const alice = sim.stats().identities[sim.identityOf(sim.tokens['gl-alice'])];
      expect(alice.byResource).toMatchObject({ git: 3, api: 1 });
      expect(alice.refusalsByReason).toEqual({ throttle_authenticated_git_http: 1 });
    });
  });

  it('gives anonymous callers the unauthenticated per-IP budget', async () => {
    await withSimulator({ gitlab: { unauthenticatedApiLimit: 1 } }, async (sim) => {
      const url = `${sim.gitlab.apiUrl}/projects/opensource%2Fpublic-one`;
      await freshWindow(60_000, 5_000);
      const first = await gitlabGet(url);
      expect(rate(first.headers)).toMatchObject({ name: 'throttle_unauthenticated_api', limit: 1, remaining: 0 });
      expect((await gitlabGet(url)).status).toBe(429);
      expect((await gitlabGet(url, sim.tokens['gl-bob'])).status).toBe(200);
      const stats = sim.stats().identities;
      expect(stats['gitlab:anonymous:127.0.0.1']).toMatchObject({ requests: 2, refusals: 1, violations: 1 });
      // the address saw every request, authenticated or not; only the anonymous caller had been told to wait
      expect(stats['gitlab:ip:127.0.0.1']).toMatchObject({ requests: 3, refusals: 1, violations: 0 });
      sim.reset();
      expect(sim.stats().identities).toEqual({});
      expect((await gitlabGet(url)).status).toBe(200);
    });
  });
});
