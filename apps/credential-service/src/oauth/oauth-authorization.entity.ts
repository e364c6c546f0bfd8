import type { OAuthAuthorizationStatus, Provider } from '@repovault/contracts/internal-api';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One OAuth authorization: the state the browser carries to the provider and back (only its hash
 * is kept; single use, 10 minutes, bound to the tenant), the PKCE verifier and then the granted
 * tokens, sealed by the vault, until an organization takes them over as its main credential.
 */
@Entity({ name: 'oauth_authorizations' })
@Index('oauth_authorizations_tenant_idx', ['tenantId', 'createdAt'])
export class OAuthAuthorizationEntity {
  /** generated before sealing: the sealed payload is bound to it */
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

  /** null: the operator's OAuth application (standard mode) */
  @Column({ name: 'oauth_app_id', type: 'uuid', nullable: true })
  oauthAppId!: string | null;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  /** sha256 of the state's secret part, hex */
  @Column({ name: 'state_hash', type: 'varchar', length: 64 })
  stateHash!: string;

  /** set when a callback presented the state: a state works once */
  @Column({ name: 'state_used_at', type: 'timestamptz', nullable: true })
  stateUsedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: OAuthAuthorizationStatus;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'account_login', type: 'varchar', length: 200, nullable: true })
  accountLogin!: string | null;

  @Column({ name: 'identity_key', type: 'varchar', length: 300, nullable: true })
  identityKey!: string | null;

  /** the sealed payload: the PKCE verifier while pending, the granted token set once authorized */
  @Column({ name: 'key_id', type: 'varchar', length: 32, nullable: true })
  keyId!: string | null;

  @Column({ name: 'wrapped_key', type: 'bytea', nullable: true })
  wrappedKey!: Buffer | null;

  @Column({ type: 'bytea', nullable: true })
  ciphertext!: Buffer | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** the main credential that took the tokens over */
  @Column({ name: 'credential_id', type: 'uuid', nullable: true })
  credentialId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
