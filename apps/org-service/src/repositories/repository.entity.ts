import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A repository of an organization; one gone upstream stays as `deleted`, never forgotten. */
@Entity({ name: 'repositories' })
@Index('repositories_org_provider_uq', ['organizationId', 'providerId'], { unique: true })
@Index('repositories_tenant_org_idx', ['tenantId', 'organizationId', 'fullName'])
export class RepositoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  /** the provider's stable id (a rename keeps it) */
  @Column({ name: 'provider_id', type: 'varchar', length: 100 })
  providerId!: string;

  @Column({ name: 'full_name', type: 'varchar', length: 500 })
  fullName!: string;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ name: 'default_branch', type: 'varchar', length: 300, nullable: true })
  defaultBranch!: string | null;

  @Column({ type: 'boolean' })
  private!: boolean;

  @Column({ type: 'boolean' })
  archived!: boolean;

  @Column({ type: 'varchar', length: 16 })
  status!: 'active' | 'deleted';

  @Column({ name: 'size_kb', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | null) => Number(v ?? 0) } })
  sizeKb!: number;

  @Column({ name: 'last_pushed_at', type: 'timestamptz', nullable: true })
  lastPushedAt!: Date | null;

  @Column({ name: 'has_wiki', type: 'boolean' })
  hasWiki!: boolean;

  /** null: the provider does not say (or keeps issues elsewhere, as Data Center does in Jira) */
  @Column({ name: 'has_issues', type: 'boolean', nullable: true })
  hasIssues!: boolean | null;

  @Column({ name: 'clone_url', type: 'text' })
  cloneUrl!: string;

  @Column({ name: 'discovered_at', type: 'timestamptz' })
  discoveredAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
