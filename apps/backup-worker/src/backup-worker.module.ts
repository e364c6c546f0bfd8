import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { workQueueName } from '@repovault/contracts/jobs';
import { DatabaseModule } from '@repovault/platform/database';
import { GitRunner, MirrorCache } from '@repovault/platform/git';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule, createRedisClient } from '@repovault/platform/queue';
import { type SnapshotStore, createLocalSnapshotStore } from '@repovault/platform/storage';
import { createEgressFetch } from '@repovault/providers/core';
import type { Redis } from 'ioredis';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackupJobsHandler } from './backup/backup-jobs.handler';
import { GitCapturer } from './backup/git-capture';
import { RepositoryBackup } from './backup/repository-backup';
import { ServiceClients } from './clients/service-clients';
import { BACKUP_WORKER_CONFIG, type BackupWorkerConfig } from './config/backup-worker.config';
import { workerDataSourceSpec } from './database/worker-data-source';
import { ClaimBroker, ClaimedTransport, CredentialMaterialCache, HttpClaimsApi } from '@repovault/providers/transport';
import { EgressProxy } from './egress/egress-proxy';

const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');
const MIRROR_REDIS = Symbol('MIRROR_REDIS');
const MATERIALS = Symbol('MATERIALS');

@Injectable()
class WorkerResources implements OnApplicationShutdown {
  constructor(
    private readonly proxy: EgressProxy,
    @Inject(MIRROR_REDIS) private readonly redis: Redis,
    @Inject(MATERIALS) private readonly materials: CredentialMaterialCache,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.proxy.close();
    this.materials.close();
    this.redis.disconnect();
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
        { provide: MATERIALS, inject: [HttpClaimsApi], useFactory: (api: HttpClaimsApi) => new CredentialMaterialCache((tenantId, id) => api.material(tenantId, id)) },
        {
          provide: EgressProxy,
          inject: [HttpClaimsApi, MATERIALS],
          useFactory: async (api: HttpClaimsApi, materials: CredentialMaterialCache) => {
            const egress = createEgressFetch({ allowPrivateAddresses: config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
            const proxy = new EgressProxy(new ClaimedTransport(new ClaimBroker(api), materials, egress));
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
          useFactory: (clients: ServiceClients, proxy: EgressProxy, git: GitCapturer, store: SnapshotStore) => new RepositoryBackup(clients, proxy, git, store, join(scratch, 'jobs')),
        },
        BackupJobsHandler,
        WorkerResources,
      ],
    };
  }
}
