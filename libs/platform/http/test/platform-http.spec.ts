import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { createLogger } from '@repovault/platform/logging';
import request from 'supertest';
import { Writable } from 'node:stream';
import {
  Caller, type InternalCaller, InternalRoute, PlatformHttpModule, ProblemException, ServiceRuntime, TenantId,
  assertEveryRouteDeclaresAccess, createServiceApp,
} from '../src';

class CreateThing {
  @IsString() name!: string;
  @IsInt() @Min(1) size!: number;
}

@Controller('internal/things')
class ThingsController {
  @Post()
  @InternalRoute('api-gateway')
  create(@TenantId() tenantId: string, @Body() body: CreateThing, @Caller() caller: InternalCaller) {
    return { tenantId, ...body, caller: caller.service };
  }

  @Get('boom')
  @InternalRoute('api-gateway')
  boom(): never {
    throw new Error('database password=hunter2 leaked');
  }

  @Get('gone')
  @InternalRoute('api-gateway')
  gone(): never {
    throw ProblemException.notFound('Thing');
  }
}

@Controller('internal/undeclared')
class UndeclaredController {
  @Get()
  get() {
    return 'x';
  }
}

const silent = new Writable({ write: (_c, _e, done) => done() });
const tenant = '6f1c1d52-3c1a-4a3b-9f0e-2f4a0a0a0a0a';
const tokens = new Map([['api-gateway', 'gw-token'], ['plan-service', 'plan-token']]);

async function appWith(controllers: unknown[], healthy: { value: boolean }): Promise<INestApplication> {
  const runtime = new ServiceRuntime('org-service', createLogger({ service: 'test', level: 'silent', destination: silent }));
  runtime.readiness.add({ name: 'postgresql', check: async () => { if (!healthy.value) throw new Error('connection refused'); } });
  @Module({ imports: [PlatformHttpModule.forRoot({ runtime, peerTokens: tokens })], controllers: controllers as never[] })
  class TestModule {}
  const app = await createServiceApp(TestModule, runtime);
  await app.init();
  return app;
}

describe('platform http', () => {
  const healthy = { value: true };
  let app: INestApplication;
  beforeAll(async () => { app = await appWith([ThingsController], healthy); });
  afterAll(async () => { await app.close(); });

  it('requires a peer token and the right caller', async () => {
    await request(app.getHttpServer()).post('/internal/things').send({}).expect(401).expect('content-type', /problem\+json/);
    await request(app.getHttpServer()).post('/internal/things').set('authorization', 'Bearer nope').expect(401);
    await request(app.getHttpServer()).post('/internal/things').set('authorization', 'Bearer plan-token')
      .set('x-repovault-tenant-id', tenant).send({ name: 'a', size: 1 }).expect(403);
  });

  it('answers validation errors as problem+json listing each field', async () => {
    const res = await request(app.getHttpServer()).post('/internal/things').set('authorization', 'Bearer gw-token')
      .set('x-repovault-tenant-id', tenant).send({ name: 3, size: 0, extra: true }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Validation failed' });
    expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['extra', 'name', 'size']);
  });

  it('passes the tenant and the caller to handlers', async () => {
    const res = await request(app.getHttpServer()).post('/internal/things').set('authorization', 'Bearer gw-token')
      .set('x-repovault-tenant-id', tenant).send({ name: 'a', size: 2 }).expect(201);
    expect(res.body).toEqual({ tenantId: tenant, name: 'a', size: 2, caller: 'api-gateway' });
  });

  it('refuses malformed JSON with a 400, and hides unexpected errors behind a 500 problem', async () => {
    await request(app.getHttpServer()).post('/internal/things').set('authorization', 'Bearer gw-token')
      .set('x-repovault-tenant-id', tenant).set('content-type', 'application/json').send('{nope').expect(400);
    const res = await request(app.getHttpServer()).get('/internal/things/boom').set('authorization', 'Bearer gw-token').expect(500);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    await request(app.getHttpServer()).get('/internal/things/gone').set('authorization', 'Bearer gw-token').expect(404);
  });

  it('reports readiness by dependency and recovers', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
    await request(app.getHttpServer()).get('/health/ready').expect(200);
    healthy.value = false;
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body.detail).toContain('postgresql');
    healthy.value = true;
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('serves Prometheus metrics with the HTTP duration histogram', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('refuses to start when a route does not declare its access', async () => {
    const other = await appWith([UndeclaredController], healthy);
    try {
      expect(() => assertEveryRouteDeclaresAccess(other)).toThrow(/UndeclaredController.get/);
      await request(other.getHttpServer()).get('/internal/undeclared').set('authorization', 'Bearer gw-token').expect(403);
    } finally {
      await other.close();
    }
  });
});
