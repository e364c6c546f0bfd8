import type { IncludeSettings, PlanSchedule, RepositorySelection } from '@repovault/contracts/internal-api';
import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A backup plan: what to back up of one organization, when, how long to keep it, with which credentials. */
@Entity({ name: 'plans' })
@Index('plans_tenant_org_idx', ['tenantId', 'organizationId', 'createdAt'])
// one default plan per organization, ever: a redelivered organization.created event cannot make a second
@Index('plans_default_uq', ['organizationId'], { unique: true, where: '"is_default"' })
export class PlanEntity {
  /** generated before the row is stored: the schedule's id is derived from it */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'is_default', type: 'boolean' })
  isDefault!: boolean;

  @Column({ type: 'jsonb' })
  repositories!: RepositorySelection;

  @Column({ type: 'jsonb' })
  include!: IncludeSettings;

  /** null: manual runs only */
  @Column({ type: 'jsonb', nullable: true })
  schedule!: PlanSchedule;

  @Column({ name: 'keep_last', type: 'integer' })
  keepLast!: number;

  /** the "Additional git credentials" switch */
  @Column({ name: 'additional_credentials_enabled', type: 'boolean' })
  additionalCredentialsEnabled!: boolean;

  /** the accounts toggled on; kept while the switch is off */
  @Column({ name: 'credential_ids', type: 'uuid', array: true })
  credentialIds!: string[];

  @Column({ name: 'worker_pool', type: 'varchar', length: 40, nullable: true })
  workerPool!: string | null;

  /** set by the service (millisecond precision), so list cursors round-trip exactly */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** soft delete: runs and snapshots keep naming the plan */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
