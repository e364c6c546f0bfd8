import { startSimulator, type RunningSimulator } from '../../simulator';
import { loadSharedSpec, routesMissingFrom, type OpenApiPaths } from '../../test-support/openapi-routes';
import { bitbucketDcRestRouteTable } from './bitbucket-dc-provider';

const spec = loadSharedSpec('bitbucket-datacenter.openapi.json', 'Every route the simulator serves for Bitbucket Data Center');

/** The description's server is `http://{baseurl}/rest`: its paths start at `/api/latest`. */
const SERVER_PREFIX = '/rest';

(spec ? describe : describe.skip)("Bitbucket Data Center routes against Data Center's OpenAPI description", () => {
  const description = spec as OpenApiPaths;
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ seed: { seed: 'routes', users: [], organizations: [] } });
  });
  afterAll(() => sim?.close());

  it('serves only methods and path templates Data Center documents', () => {
    const served = sim.restRoutes()['bitbucket-dc'];
    expect(served.length).toBeGreaterThanOrEqual(9);
    expect(routesMissingFrom(description, served, SERVER_PREFIX)).toEqual([]);
  });

  it('checks the same table the running simulator serves', () => {
    const key = (r: { method: string; template: string }): string => `${r.method} ${r.template}`;
    expect(bitbucketDcRestRouteTable().map(key).sort()).toEqual(sim.restRoutes()['bitbucket-dc'].map(key).sort());
  });

  it('serves the writes a restore needs (and the reads that come with them), each one documented with that method', () => {
    const repo = '/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}';
    const restore = [
      'POST /rest/api/latest/projects/{projectKey}/repos', `PUT ${repo}/default-branch`, `GET ${repo}/default-branch`, `POST ${repo}/pull-requests`,
      `GET ${repo}/pull-requests/{pullRequestId}`, `PUT ${repo}/pull-requests/{pullRequestId}`, `POST ${repo}/pull-requests/{pullRequestId}/decline`, `POST ${repo}/pull-requests/{pullRequestId}/comments`,
    ];
    const served = sim.restRoutes()['bitbucket-dc'];
    const key = (r: { method: string; template: string }): string => `${r.method} ${r.template}`;
    expect(served.map(key)).toEqual(expect.arrayContaining(restore));
    expect(served.filter((r) => r.method !== 'GET').map(key).sort()).toEqual(restore.filter((r) => !r.startsWith('GET ')).sort());
    expect(routesMissingFrom(description, served.filter((r) => restore.includes(key(r))), SERVER_PREFIX)).toEqual([]);
  });

  it('would catch an invented endpoint or a wrong method', () => {
    const invented = [
      { method: 'GET', template: '/rest/api/latest/projects/{projectKey}/repos/{repositorySlug}/issues' },
      { method: 'DELETE', template: '/rest/api/latest/users/{userSlug}' },
    ];
    expect(routesMissingFrom(description, invented, SERVER_PREFIX)).toHaveLength(2);
  });
});
