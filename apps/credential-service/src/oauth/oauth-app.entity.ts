import type { Provider, SyncSchedule } from '@repovault/contracts/internal-api';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A tenant's own OAuth application (advanced mode), for self-managed instances or to use its own
 * consent screen. Its secret stays in the password manager; the organization settings chosen with
 * it become the defaults of organizations onboarded through it.
 */
@Entity({ name: 'oauth_apps' })
@Index('oauth_apps_tenant_idx', ['tenantId', 'createdAt'])
export class OAuthAppEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: Provider;

  @Column({ name: 'base_url', type: 'text', nullable: true })
  baseUrl!: string | null;

  @Column({ name: 'api_base_url', type: 'text' })
  apiBaseUrl!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 300 })
  clientId!: string;

  @Column({ name: 'client_secret_id', type: 'uuid' })
  clientSecretId!: string;

  @Column({ name: 'auto_add_new_repositories', type: 'boolean' })
  autoAddNewRepositories!: boolean;

  @Column({ name: 'include_groups', type: 'boolean' })
  includeGroups!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  sync!: SyncSchedule | null;

  @Column({ name: 'default_worker_pool', type: 'varchar', length: 40, nullable: true })
  defaultWorkerPool!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;
}
