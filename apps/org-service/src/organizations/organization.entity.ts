import type { Provider, SyncSchedule } from '@repovault/contracts/internal-api';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A provider connection: a GitHub organization, GitLab group, Bitbucket workspace or DC project. */
@Entity({ name: 'organizations' })
@Index('organizations_tenant_idx', ['tenantId', 'createdAt'])
export class OrganizationEntity {
  /** generated before the main credential is stored, which references it */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: Provider;

  @Column({ name: 'base_url', type: 'text', nullable: true })
  baseUrl!: string | null;

  @Column({ name: 'api_base_url', type: 'text' })
  apiBaseUrl!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'active' | 'deleted';

  @Column({ name: 'auth_method', type: 'varchar', length: 16 })
  authMethod!: 'token' | 'oauth' | 'github-app';

  @Column({ name: 'auth_username', type: 'varchar', length: 200, nullable: true })
  authUsername!: string | null;

  @Column({ name: 'auth_email', type: 'varchar', length: 320, nullable: true })
  authEmail!: string | null;

  @Column({ name: 'main_credential_id', type: 'uuid', nullable: true })
  mainCredentialId!: string | null;

  @Column({ name: 'auto_add_new_repositories', type: 'boolean' })
  autoAddNewRepositories!: boolean;

  @Column({ name: 'include_groups', type: 'boolean' })
  includeGroups!: boolean;

  @Column({ type: 'jsonb' })
  sync!: SyncSchedule;

  @Column({ name: 'default_worker_pool', type: 'varchar', length: 40 })
  defaultWorkerPool!: string;

  @Column({ name: 'default_plan_id', type: 'uuid', nullable: true })
  defaultPlanId!: string | null;

  @Column({ name: 'last_synced_at', type: 'timestamptz', nullable: true })
  lastSyncedAt!: Date | null;

  @Column({ name: 'sync_error', type: 'text', nullable: true })
  syncError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
