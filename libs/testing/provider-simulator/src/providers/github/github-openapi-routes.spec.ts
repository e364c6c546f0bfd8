import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteInfo } from '../../core/http-router';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { sharedSpecsDir } from '../../test-support/repo-root';
import { githubRestRouteTable } from './github-provider';

const specPath = join(sharedSpecsDir(), 'github-api.github.com.json');
const specPresent = existsSync(specPath);

if (!specPresent) {
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nSKIPPED: the GitHub route check did not run: ${specPath} is missing.\nEvery route the simulator serves for GitHub is UNVERIFIED against GitHub's OpenAPI description.\n${bar}\n`);
}

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

/** Routes GitHub's own description does not have (method + template must both match). */
function unknownRoutes(routes: RouteInfo[], spec: OpenApi): string[] {
  return routes
    .filter((r) => {
      const operations = spec.paths[r.template];
      return !operations || !(r.method.toLowerCase() in operations);
    })
    .map((r) => `${r.method} ${r.template}`);
}

(specPresent ? describe : describe.skip)("GitHub routes against GitHub's OpenAPI description", () => {
  let spec: OpenApi;
  let sim: RunningSimulator;

  beforeAll(async () => {
    spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApi;
    sim = await startSimulator({ seed: { seed: 'routes', users: [{ login: 'alice' }], organizations: [{ login: 'acme', owners: ['alice'] }] } });
  });
  afterAll(() => sim?.close());

  it('serves only methods and path templates that GitHub documents', () => {
    const served = sim.restRoutes().github;
    expect(served.length).toBeGreaterThanOrEqual(20);
    expect(unknownRoutes(served, spec)).toEqual([]);
  });

  it('checks the same table the running simulator serves', () => {
    const key = (r: RouteInfo): string => `${r.method} ${r.template}`;
    expect(githubRestRouteTable().map(key).sort()).toEqual(sim.restRoutes().github.map(key).sort());
  });

  it('would catch an invented endpoint or a wrong method', () => {
    expect(unknownRoutes([{ method: 'GET', template: '/repos/{owner}/{repo}/backups' }, { method: 'DELETE', template: '/rate_limit' }], spec)).toHaveLength(2);
  });
});
