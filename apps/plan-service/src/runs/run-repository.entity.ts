import type { RepositoryRunStatus } from '@repovault/contracts/internal-api';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One repository of a run, fixed when the run starts. */
@Entity({ name: 'run_repositories' })
@Index('run_repositories_run_name_idx', ['runId', 'fullName', 'repositoryId'])
export class RunRepositoryEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ name: 'repository_id', type: 'uuid' })
  repositoryId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'full_name', type: 'varchar', length: 500 })
  fullName!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: RepositoryRunStatus;

  @Column({ name: 'snapshot_id', type: 'uuid', nullable: true })
  snapshotId!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
