import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The ETag index: per provider identity and URL, the last ETag and the body it stood for. */
@Entity({ name: 'conditional_requests' })
export class ConditionalRequestEntity {
  @PrimaryColumn({ name: 'identity_key', type: 'varchar', length: 300 })
  identityKey!: string;

  /** sha256 of the URL (URLs can be long) */
  @PrimaryColumn({ name: 'url_hash', type: 'char', length: 64 })
  urlHash!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'varchar', length: 300 })
  etag!: string;

  @Column({ name: 'body_sha256', type: 'char', length: 64 })
  bodySha256!: string;

  @Column({ type: 'smallint' })
  status!: number;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
