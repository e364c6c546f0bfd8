import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { workQueueName } from '@repovault/contracts/jobs';
import { TypeOrmModule, getRepositoryToken } from '@nestjs/typeorm';
import { DatabaseModule } from '@repovault/platform/database';
import { GitRunner, MirrorCache } from '@repovault/platform/git';
import { MetricsRegistry, PlatformHttpModule, ServiceRuntime } from '@repovault/platform/http';
import { Counter, Histogram } from 'prom-client';
import { QueueModule, createRedisClient } from '@repovault/platform/queue';
import { type SnapshotStore, createLocalSnapshotStore } from '@repovault/platform/storage';
import { createEgressFetch } from '@repovault/providers/core';
import type { Redis } from 'ioredis';
import type { Repository } from 'typeorm';
import { ConditionalRequestEntity } from './conditional/conditional-request.entity';
import { ConditionalRequestStore } from './conditional/conditional-request-store';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackupJobsHandler } from './backup/backup-jobs.handler';
import { GitCapturer } from './backup/git-capture';
import { RepositoryBackup } from './backup/repository-backup';
import { ServiceClients } from './clients/service-clients';
import { BACKUP_WORKER_CONFIG, type BackupWorkerConfig } from './config/backup-worker.config';
import { workerDataSourceSpec } from './database/worker-data-source';
import { ClaimBroker, ClaimedTransport, CredentialMaterialCache, DirectClaimsApi, HttpClaimsApi, type ProviderCallEvent, ReservationWaits } from '@repovault/providers/transport';
import { EgressProxy } from './egress/egress-proxy';
import { GitRestore } from './restore/git-restore';
import { RepositoryRestore } from './restore/repository-restore';
import { RestoreJobsHandler } from './restore/restore-jobs.handler';
import { RestoreLedgerEntity } from './restore/restore-ledger.entity';
import { WorkerLoadReporter } from './scaling/worker-load-reporter';

const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');
const MIRROR_REDIS = Symbol('MIRROR_REDIS');
const MATERIALS = Symbol('MATERIALS');
const CLAIMS_REDIS = Symbol('CLAIMS_REDIS');

@Injectable()
class WorkerResources implements OnApplicationShutdown {
  constructor(
    private readonly proxy: EgressProxy,
    @Inject(MIRROR_REDIS) private readonly redis: Redis,
    @Inject(MATERIALS) private readonly materials: CredentialMaterialCache,
    @Inject(CLAIMS_REDIS) private readonly claimsRedis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
    this.materials.close();
    this.redis.disconnect();
    this.claimsRedis.disconnect();
  }
}

@Module({})
export class BackupWorkerModule {
  static forRoot(config: BackupWorkerConfig, runtime: ServiceRuntime): DynamicModule {
    const scratch = mkdtempSync(join(tmpdir(), 'repovault-worker-'));
    const gitHome = join(scratch, 'home');
    mkdirSync(gitHome);
    return {
      module: BackupWorkerModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(workerDataSourceSpec(config.DATABASE_URL)),
        TypeOrmModule.forFeature([ConditionalRequestEntity, RestoreLedgerEntity]),
        QueueModule.forRoot({ service: 'backup-worker', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }, [
          { name: workQueueName(config.REPOVAULT_WORKER_POOL), concurrency: config.REPOVAULT_WORKER_CONCURRENCY, lockDurationMs: config.REPOVAULT_JOB_LOCK_SECONDS * 1000 },
        ]),
      ],
      providers: [
        { provide: BACKUP_WORKER_CONFIG, useValue: config },
        ServiceClients,
        { provide: SNAPSHOT_STORE, useFactory: () => createLocalSnapshotStore(resolve(config.STORAGE_DIR)) },
        { provide: MIRROR_REDIS, useFactory: () => createRedisClient(config.REDIS_URL, 'worker', 'backup-worker-mirror-locks') },
        { provide: HttpClaimsApi, useFactory: () => new HttpClaimsApi(config.REPOVAULT_CREDENTIAL_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN) },
        // claims fail fast (and closed) when Redis is away: the job is delayed, no call goes out
        { provide: CLAIMS_REDIS, useFactory: () => createRedisClient(config.REDIS_URL, 'producer', 'backup-worker-claims') },
        { provide: MATERIALS, inject: [HttpClaimsApi], useFactory: (api: HttpClaimsApi) => new CredentialMaterialCache((tenantId, id) => api.material(tenantId, id)) },
        {
          provide: ConditionalRequestStore,
          inject: [getRepositoryToken(ConditionalRequestEntity)],
          useFactory: (index: Repository<ConditionalRequestEntity>) =>
            new ConditionalRequestStore(index, createLocalSnapshotStore(join(resolve(config.STORAGE_DIR), 'http-cache'))),
        },
        {
          provide: EgressProxy,
          inject: [HttpClaimsApi, CLAIMS_REDIS, MATERIALS, ConditionalRequestStore, MetricsRegistry, ServiceRuntime, ReservationWaits],
          useFactory: async (http: HttpClaimsApi, claimsRedis: Redis, materials: CredentialMaterialCache, conditional: ConditionalRequestStore, metrics: MetricsRegistry, runtime: ServiceRuntime, waits: ReservationWaits) => {
            const latency = new Histogram({
              name: 'repovault_claim_latency_seconds',
              help: 'Round trip of a claim to credential-service, as the worker sees it',
              buckets: [0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1],
              registers: [metrics.registry],
            });
            const egress = createEgressFetch({ allowPrivateAddresses: config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
            const broker = new ClaimBroker(new DirectClaimsApi(claimsRedis, http), (ms) => latency.observe(ms / 1000), waits);
            const calls = new Counter({ name: 'repovault_provider_calls_total', help: 'Provider calls by resource and status', labelNames: ['resource', 'status'], registers: [metrics.registry] });
            const onCall = (event: ProviderCallEvent) => {
              calls.inc({ resource: event.resource, status: String(event.status) });
              runtime.logger.debug({ method: event.method, path: new URL(event.url).pathname, status: event.status, identity: event.identityKey, revalidated: event.revalidated }, 'provider call');
            };
            const proxy = new EgressProxy(new ClaimedTransport(broker, materials, egress, () => undefined, conditional, onCall));
            await proxy.listen();
            return proxy;
          },
        },
        {
          provide: GitCapturer,
          inject: [MIRROR_REDIS, SNAPSHOT_STORE],
          useFactory: (redis: Redis, store: SnapshotStore) =>
            new GitCapturer(
              new MirrorCache({
                cacheDir: resolve(config.REPOVAULT_MIRROR_DIR),
                redis,
                lockKeyPrefix: `${config.REPOVAULT_QUEUE_PREFIX}:git:`,
                // a killed worker's mirror lock expires as soon as its job can be taken over
                lockTtlMs: config.REPOVAULT_JOB_LOCK_SECONDS * 1000,
                git: new GitRunner({ homeDir: gitHome }),
              }),
              store,
              join(scratch, 'work'),
            ),
        },
        {
          provide: RepositoryBackup,
          inject: [ServiceClients, EgressProxy, GitCapturer, SNAPSHOT_STORE],
          useFactory: (clients: ServiceClients, proxy: EgressProxy, git: GitCapturer, store: SnapshotStore) =>
            new RepositoryBackup(clients, proxy, git, store, join(scratch, 'jobs'), { metadataFullExportMs: config.REPOVAULT_METADATA_FULL_EXPORT_HOURS * 3_600_000 }),
        },
        BackupJobsHandler,
        {
          provide: RepositoryRestore,
          inject: [ServiceClients, EgressProxy, SNAPSHOT_STORE, getRepositoryToken(RestoreLedgerEntity)],
          useFactory: (clients: ServiceClients, proxy: EgressProxy, store: SnapshotStore, ledger: Repository<RestoreLedgerEntity>) => {
            const work = join(scratch, 'restores');
            mkdirSync(work, { recursive: true });
            return new RepositoryRestore(clients, proxy, new GitRestore(new GitRunner({ homeDir: gitHome }), store, work), store, ledger);
          },
        },
        RestoreJobsHandler,
        WorkerResources,
        { provide: ReservationWaits, useValue: new ReservationWaits() },
        {
          provide: WorkerLoadReporter,
          inject: [CLAIMS_REDIS, ReservationWaits],
          useFactory: (redis: Redis, waits: ReservationWaits) =>
            new WorkerLoadReporter(redis, waits, { queuePrefix: config.REPOVAULT_QUEUE_PREFIX, pool: config.REPOVAULT_WORKER_POOL, concurrency: config.REPOVAULT_WORKER_CONCURRENCY }),
        },
      ],
    };
  }
}
