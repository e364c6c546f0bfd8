import { listRoutes } from '@repovault/platform/http';
import { workspaceRoot } from '@repovault/testing/support';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { generateOpenApiJson } from '../src/openapi/write-openapi';
import { type GatewayUnderTest, startGateway } from './gateway-harness';

const root = workspaceRoot();
const committedJson = join(root, 'libs/contracts/public-api/openapi.json');
const committedTypes = join(root, 'libs/contracts/public-api/src/generated/schema.ts');
const regenerate = 'run `npm run openapi:generate` and commit the result';

describe('OpenAPI document', () => {
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it(`is committed and matches the code (${regenerate})`, async () => {
    expect(await generateOpenApiJson()).toBe(readFileSync(committedJson, 'utf8'));
  });

  it(`has committed client types that match the document (${regenerate})`, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'schema.ts');
    execFileSync(join(root, 'node_modules/.bin/openapi-typescript'), [committedJson, '-o', out, '--default-non-nullable', 'false'], { stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(committedTypes, 'utf8'));
  });

  it('is served at /openapi.json with a page at /docs', async () => {
    const json = await request(gw.url).get('/openapi.json').expect(200);
    expect(json.body.openapi).toBe('3.1.0');
    const docs = await request(gw.url).get('/docs').redirects(1).expect(200);
    expect(docs.text).toContain('swagger-ui');
  });

  it('declares who may call every route, and says so in the document', async () => {
    const routes = listRoutes(gw.app);
    expect(routes.length).toBeGreaterThan(3);
    expect(routes.filter((r) => !r.access)).toEqual([]);
    const document = JSON.parse(readFileSync(committedJson, 'utf8')) as { paths: Record<string, Record<string, { 'x-required-roles'?: string[] }>> };
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (path.endsWith('/callback')) continue; // authenticated by single-use state
        expect({ path, method, roles: operation['x-required-roles']?.length ?? 0 }).toEqual({ path, method, roles: expect.any(Number) });
        expect(operation['x-required-roles']?.length).toBeGreaterThan(0);
      }
    }
  });

  it('does not route internal paths', async () => {
    await request(gw.url).get('/internal/organizations').expect(404);
  });
});
