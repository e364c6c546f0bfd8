import type { Capabilities, RateLimitSnapshot } from '@repovault/providers/core';
import type { CredentialStatus, Provider } from '@repovault/contracts/internal-api';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A main or additional credential of an organization, with the provider identity it belongs to. */
@Entity({ name: 'credentials' })
@Index('credentials_org_idx', ['tenantId', 'organizationId'])
@Index('credentials_identity_idx', ['identityKey'])
export class CredentialEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: 'main' | 'additional';

  @Column({ type: 'varchar', length: 16 })
  method!: 'token' | 'oauth' | 'github-app';

  @Column({ type: 'varchar', length: 200, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ name: 'secret_id', type: 'uuid', nullable: true })
  secretId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  provider!: Provider;

  @Column({ name: 'api_base_url', type: 'text' })
  apiBaseUrl!: string;

  /** the organization's name at the provider, to re-check access without asking org-service */
  @Column({ name: 'organization_name', type: 'varchar', length: 200 })
  organizationName!: string;

  /** budget identity: credentials with the same key share one provider budget */
  @Column({ name: 'identity_key', type: 'varchar', length: 300, nullable: true })
  identityKey!: string | null;

  @Column({ name: 'identity_login', type: 'varchar', length: 200, nullable: true })
  identityLogin!: string | null;

  @Column({ name: 'token_kind', type: 'varchar', length: 40, nullable: true })
  tokenKind!: string | null;

  @Column({ type: 'text', array: true, nullable: true })
  scopes!: string[] | null;

  @Column({ type: 'varchar', length: 16 })
  status!: CredentialStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'rate_limit', type: 'jsonb', nullable: true })
  rateLimit!: RateLimitSnapshot | null;

  @Column({ type: 'jsonb' })
  capabilities!: Capabilities;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
