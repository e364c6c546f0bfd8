import type { Provider } from '@repovault/contracts/internal-api';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The live token set of an OAuth credential, sealed by the vault. Refreshing takes this row's lock,
 * so of two concurrent refreshers one refreshes and the other reads the result: a rotating refresh
 * token is used once and its successor stored back in the same transaction.
 */
@Entity({ name: 'oauth_tokens' })
export class OAuthTokenEntity {
  @PrimaryColumn({ name: 'credential_id', type: 'uuid' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 32 })
  provider!: Provider;

  @Column({ name: 'api_base_url', type: 'text' })
  apiBaseUrl!: string;

  /** null: the operator's OAuth application */
  @Column({ name: 'oauth_app_id', type: 'uuid', nullable: true })
  oauthAppId!: string | null;

  @Column({ name: 'key_id', type: 'varchar', length: 32 })
  keyId!: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  @Column({ type: 'bytea' })
  ciphertext!: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** from then on the access token is refreshed before it is handed out */
  @Column({ name: 'renew_at', type: 'timestamptz', nullable: true })
  renewAt!: Date | null;

  @Column({ name: 'refresh_count', type: 'integer', default: 0 })
  refreshCount!: number;

  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true })
  refreshedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
