import { createHash, randomBytes } from 'node:crypto';

/** API keys: 32 random bytes; only their sha256 is stored (they are high-entropy, so no slow hash). */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `rvk_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, 12) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
