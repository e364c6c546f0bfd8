import type { INestApplication } from '@nestjs/common';
import type { ServiceName } from '@repovault/contracts/jobs';
import { developmentServiceToken, loadConfig } from '@repovault/platform/config';
import { ServiceRuntime, TENANT_HEADER, bootstrapService } from '@repovault/platform/http';
import { createLogger } from '@repovault/platform/logging';
import { JobProducer } from '@repovault/platform/queue';
import { TEST_DATABASE_URL, deleteRedisPrefix, freePort, prepareTestDatabase, uniqueQueuePrefix } from '@repovault/testing/support';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planConfigSchema } from '../../src/config/plan-service.config';
import { planDataSourceSpec } from '../../src/database/plan-data-source';
import { PlanServiceModule } from '../../src/plan-service.module';
import { FakeUpstreams } from './fake-upstreams';

export interface PlanServiceUnderTest {
  app: INestApplication;
  url: string;
  producer: JobProducer;
  close(): Promise<void>;
}

export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls a plan-service replica's internal API as one of its callers, for one tenant. */
export class InternalCaller {
  constructor(private readonly url: string, private readonly service: ServiceName, private readonly tenantId: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
    const response = await this.raw(method, path, body, headers);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }

  raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(new URL(path, this.url), {
      method,
      headers: {
        authorization: `Bearer ${developmentServiceToken(this.service)}`,
        [TENANT_HEADER]: this.tenantId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

export interface PlanServiceStack {
  prefix: string;
  storageDir: string;
  upstreams: FakeUpstreams;
  replicas: PlanServiceUnderTest[];
  /** the first replica */
  main: PlanServiceUnderTest;
  as(service: ServiceName, tenantId: string, replica?: PlanServiceUnderTest): InternalCaller;
  startReplica(): Promise<PlanServiceUnderTest>;
  close(): Promise<void>;
}

/**
 * Plan-service replicas (real Nest apps on free ports) sharing the test database, one queue prefix
 * of their own, one snapshot store in a temp dir, and the fake org-service and credential-service.
 */
export async function startPlanServiceStack(options: { replicas?: number } = {}): Promise<PlanServiceStack> {
  await prepareTestDatabase(planDataSourceSpec);
  const prefix = uniqueQueuePrefix('plan');
  const storageDir = await mkdtemp(join(tmpdir(), 'repovault-plan-store-'));
  const upstreams = await FakeUpstreams.start();
  const replicas: PlanServiceUnderTest[] = [];

  const startReplica = async (): Promise<PlanServiceUnderTest> => {
    const port = await freePort();
    const config = loadConfig(planConfigSchema, {
      DATABASE_URL: TEST_DATABASE_URL,
      REPOVAULT_HTTP_PORT: String(port),
      REPOVAULT_QUEUE_PREFIX: prefix,
      STORAGE_DIR: storageDir,
      REPOVAULT_ORG_SERVICE_URL: upstreams.orgUrl,
      REPOVAULT_CREDENTIAL_SERVICE_URL: upstreams.credentialUrl,
    });
    const runtime = new ServiceRuntime('plan-service', createLogger({ service: 'plan-service', level: 'silent' }));
    const app = await bootstrapService(PlanServiceModule.forRoot(config, runtime), { runtime, host: '127.0.0.1', port });
    const replica = { app, url: `http://127.0.0.1:${port}`, producer: app.get(JobProducer), close: () => app.close() };
    replicas.push(replica);
    return replica;
  };

  for (let i = 0; i < (options.replicas ?? 1); i++) await startReplica();
  const main = replicas[0] as PlanServiceUnderTest;
  return {
    prefix,
    storageDir,
    upstreams,
    replicas,
    main,
    startReplica,
    as: (service, tenantId, replica = main) => new InternalCaller(replica.url, service, tenantId),
    async close() {
      await Promise.all(replicas.map((r) => r.close()));
      await upstreams.close();
      await deleteRedisPrefix(prefix);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
