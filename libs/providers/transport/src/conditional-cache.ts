/** A response remembered per (identity, URL), to revalidate with If-None-Match. */
export interface CachedResponse {
  etag: string;
  bodySha256: string;
  status: number;
  /** the headers a caller needs again (content-type, link) */
  headers: Record<string, string>;
  updatedAt: number;
}

/**
 * ETags and bodies cached outside Redis (index in the worker's schema, bodies content-addressed):
 * GitHub does not charge an authorized 304 to the primary budget, and ETags vary by identity.
 */
export interface ConditionalCache {
  /** every identity holding an entry for this URL */
  lookup(url: string): Promise<Map<string, CachedResponse>>;
  body(sha256: string): Promise<Buffer | null>;
  remember(identityKey: string, url: string, response: { etag: string; status: number; headers: Record<string, string>; body: Buffer }): Promise<void>;
  forget(identityKey: string, url: string): Promise<void>;
}

/** Headers a revalidated response must carry again. */
export const CACHED_HEADERS = ['content-type', 'link'] as const;
