import type { SnapshotStore } from '@repovault/platform/storage';
import type { CachedResponse, ConditionalCache } from '@repovault/providers/transport';
import { createHash } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { ConditionalRequestEntity } from './conditional-request.entity';

function hashUrl(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

/**
 * The worker's ETag index in its own PostgreSQL schema, with bodies in a content-addressed store of
 * their own (outside the snapshots, so snapshot retention never removes a body an ETag needs).
 */
export class ConditionalRequestStore implements ConditionalCache {
  constructor(private readonly index: Repository<ConditionalRequestEntity>, private readonly bodies: SnapshotStore) {}

  async lookup(url: string): Promise<Map<string, CachedResponse>> {
    const rows = await this.index.findBy({ urlHash: hashUrl(url) });
    return new Map(
      rows.map((r) => [r.identityKey, { etag: r.etag, bodySha256: r.bodySha256, status: r.status, headers: r.headers, updatedAt: r.updatedAt.getTime() }]),
    );
  }

  async body(sha256: string): Promise<Buffer | null> {
    try {
      return await this.bodies.readVerified(sha256);
    } catch {
      return null;
    }
  }

  async remember(identityKey: string, url: string, response: { etag: string; status: number; headers: Record<string, string>; body: Buffer }): Promise<void> {
    const stored = await this.bodies.putBuffer(response.body);
    await this.index.upsert(
      { identityKey, urlHash: hashUrl(url), url, etag: response.etag, bodySha256: stored.sha256, status: response.status, headers: response.headers, updatedAt: new Date() },
      ['identityKey', 'urlHash'],
    );
  }

  async forget(identityKey: string, url: string): Promise<void> {
    await this.index.delete({ identityKey, urlHash: hashUrl(url) });
  }
}
