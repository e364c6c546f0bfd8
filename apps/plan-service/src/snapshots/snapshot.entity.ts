import type { SnapshotFileRecord } from '@repovault/contracts/internal-api';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => Number(v ?? 0) };

/** The catalogue entry of a snapshot whose manifest and files are in the store. */
@Entity({ name: 'snapshots' })
@Index('snapshots_tenant_repository_idx', ['tenantId', 'repositoryId', 'createdAt'])
@Index('snapshots_tenant_plan_idx', ['tenantId', 'planId', 'createdAt'])
@Index('snapshots_tenant_created_idx', ['tenantId', 'createdAt'])
// one snapshot per repository per run: a repeated result report records nothing new
@Index('snapshots_run_repository_uq', ['runId', 'repositoryId'], { unique: true })
export class SnapshotEntity {
  /** chosen by the worker: it names the manifest in the store */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'repository_id', type: 'uuid' })
  repositoryId!: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'repository_full_name', type: 'varchar', length: 500 })
  repositoryFullName!: string;

  /** the manifest's creation time */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'jsonb' })
  refs!: Record<string, string>;

  @Column({ name: 'wiki_refs', type: 'jsonb', nullable: true })
  wikiRefs!: Record<string, string> | null;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, number>;

  @Column({ name: 'lfs_objects', type: 'integer' })
  lfsObjects!: number;

  @Column({ name: 'size_bytes', type: 'bigint', transformer: bigintAsNumber })
  sizeBytes!: number;

  @Column({ name: 'new_bytes', type: 'bigint', transformer: bigintAsNumber })
  newBytes!: number;

  @Column({ type: 'jsonb' })
  files!: SnapshotFileRecord[];

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
