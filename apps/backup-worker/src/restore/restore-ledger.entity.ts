import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a restore already wrote upstream (see RestoreLedger in @repovault/providers/core): one row per
 * item, `pending` before the provider call and `done` with the created id after it, so a restore
 * killed halfway and started again writes nothing twice.
 */
@Entity({ name: 'restore_ledger' })
export class RestoreLedgerEntity {
  @PrimaryColumn({ name: 'restore_id', type: 'uuid' })
  restoreId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  kind!: string;

  @PrimaryColumn({ name: 'source_id', type: 'varchar', length: 500 })
  sourceId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 10 })
  state!: 'pending' | 'done';

  @Column({ name: 'target_id', type: 'varchar', length: 200, nullable: true })
  targetId!: string | null;

  @Column({ name: 'target_number', type: 'integer', nullable: true })
  targetNumber!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
