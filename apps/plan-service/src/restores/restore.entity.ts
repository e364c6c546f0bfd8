import type {
  IncludeSettings, RestoreErrorRecord, RestoreItemCountsRecord, RestoreMode, RestoreNotRestoredRecord, RestoreStatus,
} from '@repovault/contracts/internal-api';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One restore of a snapshot into a repository, and what the worker reported about it. */
@Entity({ name: 'restores' })
@Index('restores_tenant_queued_idx', ['tenantId', 'queuedAt'])
// a retried POST /v1/restores with the same Idempotency-Key finds the first restore (NULLs never collide)
@Index('restores_idempotency_uq', ['tenantId', 'idempotencyKey'], { unique: true })
export class RestoreEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'snapshot_id', type: 'uuid' })
  snapshotId!: string;

  @Column({ name: 'source_organization_id', type: 'uuid' })
  sourceOrganizationId!: string;

  @Column({ name: 'source_repository_id', type: 'uuid' })
  sourceRepositoryId!: string;

  @Column({ name: 'source_full_name', type: 'varchar', length: 500 })
  sourceFullName!: string;

  @Column({ name: 'target_organization_id', type: 'uuid' })
  targetOrganizationId!: string;

  @Column({ name: 'target_repository_name', type: 'varchar', length: 200 })
  targetRepositoryName!: string;

  @Column({ type: 'varchar', length: 20 })
  mode!: RestoreMode;

  /** overwrite with the confirmation: refs upstream that the snapshot lacks are deleted */
  @Column({ name: 'delete_extra_refs', type: 'boolean' })
  deleteExtraRefs!: boolean;

  @Column({ type: 'jsonb' })
  include!: IncludeSettings;

  @Column({ type: 'varchar', length: 24 })
  status!: RestoreStatus;

  @Column({ name: 'status_detail', type: 'text', nullable: true })
  statusDetail!: string | null;

  @Column({ name: 'worker_pool', type: 'varchar', length: 40 })
  workerPool!: string;

  @Column({ name: 'target_full_name', type: 'varchar', length: 500, nullable: true })
  targetFullName!: string | null;

  @Column({ name: 'target_url', type: 'text', nullable: true })
  targetUrl!: string | null;

  @Column({ type: 'jsonb' })
  items!: Record<string, RestoreItemCountsRecord>;

  @Column({ name: 'not_restored', type: 'jsonb' })
  notRestored!: RestoreNotRestoredRecord[];

  @Column({ type: 'jsonb' })
  errors!: RestoreErrorRecord[];

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
