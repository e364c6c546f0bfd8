import type { IncludeSettings, RepositorySelection, RunStatus } from '@repovault/contracts/internal-api';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One execution of a plan, manual or scheduled. */
@Entity({ name: 'runs' })
@Index('runs_tenant_queued_idx', ['tenantId', 'queuedAt'])
@Index('runs_tenant_plan_queued_idx', ['tenantId', 'planId', 'queuedAt'])
// a retried "Run now" with the same Idempotency-Key finds the first run (NULLs never collide)
@Index('runs_idempotency_uq', ['tenantId', 'idempotencyKey'], { unique: true })
// one run per due time of a schedule, however many replicas handle the due job
@Index('runs_schedule_uq', ['planId', 'scheduleKey'], { unique: true })
export class RunEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: RunStatus;

  @Column({ type: 'varchar', length: 16 })
  trigger!: 'manual' | 'schedule';

  @Column({ name: 'worker_pool', type: 'varchar', length: 40 })
  workerPool!: string;

  /** what the plan said when the run was queued: a later edit does not change a queued run */
  @Column({ type: 'jsonb' })
  include!: IncludeSettings;

  @Column({ type: 'jsonb' })
  selection!: RepositorySelection;

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** why the run as a whole failed (per-repository errors live on their rows) */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey!: string | null;

  /** the scheduler's job id of the due time that created this run */
  @Column({ name: 'schedule_key', type: 'varchar', length: 300, nullable: true })
  scheduleKey!: string | null;
}
