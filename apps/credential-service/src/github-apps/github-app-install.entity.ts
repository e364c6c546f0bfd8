import type { GitHubAppInstallationStatus } from '@repovault/contracts/internal-api';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One installation flow of a GitHub App: the state the browser carries to GitHub and back (its hash
 * only; single use, 10 minutes, bound to the tenant), then what GitHub installed and whether the
 * seed's two conditions allowed it. The credential made from it points back here.
 */
@Entity({ name: 'github_app_installs' })
@Index('github_app_installs_tenant_idx', ['tenantId', 'createdAt'])
@Index('github_app_installs_installation_idx', ['installationId'])
export class GitHubAppInstallEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** 0: the main app; 1–10: additional apps */
  @Column({ name: 'app_slot', type: 'smallint' })
  appSlot!: number;

  /** the GitHub App the slot named then (installation ids are unique per GitHub instance) */
  @Column({ name: 'app_id', type: 'integer', nullable: true })
  appId!: number | null;

  @Column({ name: 'api_base_url', type: 'text', nullable: true })
  apiBaseUrl!: string | null;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId!: string | null;

  @Column({ name: 'state_hash', type: 'varchar', length: 64 })
  stateHash!: string;

  @Column({ name: 'state_used_at', type: 'timestamptz', nullable: true })
  stateUsedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: GitHubAppInstallationStatus;

  @Column({ name: 'installation_id', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  installationId!: number | null;

  @Column({ name: 'account_id', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  accountId!: number | null;

  @Column({ name: 'account_login', type: 'varchar', length: 200, nullable: true })
  accountLogin!: string | null;

  @Column({ name: 'account_type', type: 'varchar', length: 32, nullable: true })
  accountType!: string | null;

  @Column({ name: 'refusal_condition', type: 'smallint', nullable: true })
  refusalCondition!: number | null;

  @Column({ name: 'refusal_code', type: 'varchar', length: 64, nullable: true })
  refusalCode!: string | null;

  @Column({ name: 'refusal_detail', type: 'text', nullable: true })
  refusalDetail!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** the credential made from this installation */
  @Column({ name: 'credential_id', type: 'uuid', nullable: true })
  credentialId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
