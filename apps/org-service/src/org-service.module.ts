import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName, eventsQueueName } from '@repovault/contracts/jobs';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule } from '@repovault/platform/queue';
import { ORG_SERVICE_CONFIG, type OrgServiceConfig } from './config/org-service.config';
import { CredentialServiceClient } from './credentials/credential-service.client';
import { orgDataSourceSpec } from './database/org-data-source';
import { OrganizationEntity } from './organizations/organization.entity';
import { OrganizationsController, RepositoriesController } from './organizations/organizations.controller';
import { OrganizationsService } from './organizations/organizations.service';
import { RepositoryEntity } from './repositories/repository.entity';
import { OrganizationSyncHandler } from './sync/organization-sync.handler';
import { RepositoryDiscovery } from './sync/repository-discovery';

@Module({})
export class OrgServiceModule {
  static forRoot(config: OrgServiceConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: OrgServiceModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(orgDataSourceSpec(config.DATABASE_URL)),
        TypeOrmModule.forFeature([OrganizationEntity, RepositoryEntity]),
        QueueModule.forRoot({ service: 'org-service', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }, [
          { name: QueueName.OrgSync, concurrency: 4 },
          { name: eventsQueueName('org-service'), concurrency: 4 },
        ]),
      ],
      controllers: [OrganizationsController, RepositoriesController],
      providers: [
        { provide: ORG_SERVICE_CONFIG, useValue: config },
        CredentialServiceClient,
        RepositoryDiscovery,
        OrganizationsService,
        OrganizationSyncHandler,
      ],
    };
  }
}
