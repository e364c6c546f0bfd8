import request from 'supertest';
import { type GatewayUnderTest, startGateway } from './gateway-harness';

describe('tenants, API keys and roles (e2e)', () => {
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('creates a tenant only with the operator token and shows its first admin key once', async () => {
    await request(gw.url).post('/v1/tenants').send({ name: 'acme' }).expect(401).expect('content-type', /application\/problem\+json/);
    await request(gw.url).post('/v1/tenants').set('x-admin-token', 'wrong').send({ name: 'acme' }).expect(401);
    const { data, response } = await gw.operator.POST('/v1/tenants', { body: { name: 'acme' } });
    expect(response.status).toBe(201);
    expect(data?.apiKey).toMatch(/^rvk_/);
    const me = await gw.client(data?.apiKey ?? '').GET('/v1/tenant');
    expect(me.data).toMatchObject({ id: data?.id, name: 'acme' });
    const keys = await gw.client(data?.apiKey ?? '').GET('/v1/api-keys');
    expect(JSON.stringify(keys.data)).not.toContain(data?.apiKey);
  });

  it('lists every invalid field in a problem+json 400', async () => {
    const res = await request(gw.url).post('/v1/tenants').set('x-admin-token', gw.adminToken).send({ name: '', extra: 1 }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['extra', 'name']);
    await request(gw.url).post('/v1/tenants').set('x-admin-token', gw.adminToken).set('content-type', 'application/json').send('{"name":').expect(400);
  });

  it('enforces the four roles: no or bad key 401, wrong role 403', async () => {
    const tenant = await gw.newTenant();
    const keys: Record<string, string> = {};
    for (const role of ['backup-operator', 'restore-operator', 'viewer'] as const) {
      const { data, response } = await tenant.admin.POST('/v1/api-keys', { body: { name: role, role } });
      expect(response.status).toBe(201);
      keys[role] = data?.key ?? '';
    }
    await request(gw.url).get('/v1/tenant').expect(401);
    await request(gw.url).get('/v1/tenant').set('authorization', 'Bearer rvk_not-a-key').expect(401);
    for (const role of ['backup-operator', 'restore-operator', 'viewer']) {
      const client = gw.client(keys[role] ?? '');
      expect((await client.GET('/v1/tenant')).response.status).toBe(200);
      const denied = await client.POST('/v1/api-keys', { body: { name: 'x', role: 'admin' } });
      expect(denied.response.status).toBe(403);
      expect(denied.error).toMatchObject({ status: 403 });
      expect((await client.GET('/v1/api-keys')).response.status).toBe(403);
    }
  });

  it("answers 404 for another tenant's objects and revokes deleted keys", async () => {
    const a = await gw.newTenant();
    const b = await gw.newTenant();
    const { data: bKey } = await b.admin.POST('/v1/api-keys', { body: { name: 'b-viewer', role: 'viewer' } });
    const cross = await a.admin.DELETE('/v1/api-keys/{id}', { params: { path: { id: bKey?.id ?? '' } } });
    expect(cross.response.status).toBe(404);
    const listA = await a.admin.GET('/v1/api-keys');
    expect(listA.data?.items.map((k) => k.id)).not.toContain(bKey?.id);
    const removed = await b.admin.DELETE('/v1/api-keys/{id}', { params: { path: { id: bKey?.id ?? '' } } });
    expect(removed.response.status).toBe(204);
    expect((await gw.client(bKey?.key ?? '').GET('/v1/tenant')).response.status).toBe(401);
    await request(gw.url).delete('/v1/api-keys/not-a-uuid').set('authorization', `Bearer ${a.apiKey}`).expect(400);
  });

  it('pages lists with limit and cursor', async () => {
    const tenant = await gw.newTenant();
    for (let i = 0; i < 4; i++) await tenant.admin.POST('/v1/api-keys', { body: { name: `k${i}`, role: 'viewer' } });
    const first = await tenant.admin.GET('/v1/api-keys', { params: { query: { limit: 2 } } });
    expect(first.data?.items).toHaveLength(2);
    const second = await tenant.admin.GET('/v1/api-keys', { params: { query: { limit: 2, cursor: first.data?.nextCursor ?? undefined } } });
    const third = await tenant.admin.GET('/v1/api-keys', { params: { query: { limit: 2, cursor: second.data?.nextCursor ?? undefined } } });
    const ids = [...(first.data?.items ?? []), ...(second.data?.items ?? []), ...(third.data?.items ?? [])].map((k) => k.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.data?.nextCursor).toBeNull();
    await request(gw.url).get('/v1/api-keys?limit=500').set('authorization', `Bearer ${tenant.apiKey}`).expect(400);
    await request(gw.url).get('/v1/api-keys?cursor=garbage').set('authorization', `Bearer ${tenant.apiKey}`).expect(400);
  });
});
