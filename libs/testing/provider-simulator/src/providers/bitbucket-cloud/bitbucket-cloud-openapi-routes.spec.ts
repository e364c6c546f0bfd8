import { startSimulator, type RunningSimulator } from '../../simulator';
import { loadSharedSpec, routesMissingFrom, type OpenApiPaths } from '../../test-support/openapi-routes';
import { bitbucketCloudRestRouteTable } from './bitbucket-cloud-provider';
import { CLOUD_API_PREFIX } from './bitbucket-cloud-routes';

const spec = loadSharedSpec('bitbucket-cloud.openapi.json', 'Every route the simulator serves for Bitbucket Cloud');

(spec ? describe : describe.skip)("Bitbucket Cloud routes against Bitbucket Cloud's OpenAPI description", () => {
  const description = spec as OpenApiPaths;
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ seed: { seed: 'routes', users: [], organizations: [] } });
  });
  afterAll(() => sim?.close());

  it('serves only methods and path templates Bitbucket documents (server https://api.bitbucket.org/2.0)', () => {
    const served = sim.restRoutes()['bitbucket-cloud'];
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(served.every((r) => r.template.startsWith(`${CLOUD_API_PREFIX}/`))).toBe(true);
    expect(routesMissingFrom(description, served, CLOUD_API_PREFIX)).toEqual([]);
  });

  it('checks the same table the running simulator serves', () => {
    const key = (r: { method: string; template: string }): string => `${r.method} ${r.template}`;
    expect(bitbucketCloudRestRouteTable().map(key).sort()).toEqual(sim.restRoutes()['bitbucket-cloud'].map(key).sort());
  });

  it('serves the writes a restore needs, each one documented with that method', () => {
    const writes = sim.restRoutes()['bitbucket-cloud'].filter((r) => r.method !== 'GET');
    const repo = '/2.0/repositories/{workspace}/{repo_slug}';
    expect(writes.map((r) => `${r.method} ${r.template}`).sort()).toEqual(
      [
        `POST ${repo}`, `PUT ${repo}`, `POST ${repo}/pullrequests`, `PUT ${repo}/pullrequests/{pull_request_id}`, `POST ${repo}/pullrequests/{pull_request_id}/decline`, `POST ${repo}/pullrequests/{pull_request_id}/comments`,
        `POST ${repo}/issues`, `PUT ${repo}/issues/{issue_id}`, `POST ${repo}/issues/{issue_id}/comments`, `POST ${repo}/downloads`,
      ].sort(),
    );
    expect(routesMissingFrom(description, writes, CLOUD_API_PREFIX)).toEqual([]);
  });

  it('would catch an invented endpoint or a wrong method', () => {
    const invented = [
      { method: 'GET', template: '/2.0/repositories/{workspace}/{repo_slug}/backups' },
      { method: 'DELETE', template: '/2.0/user' },
    ];
    expect(routesMissingFrom(description, invented, CLOUD_API_PREFIX)).toHaveLength(2);
  });
});
