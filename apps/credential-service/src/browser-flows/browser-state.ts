import { createHash, randomBytes } from 'node:crypto';

/** How long a state (and so a consent or installation page) is good for. */
export const STATE_TTL_MS = 10 * 60_000;

const STATE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * A state for a browser round trip to a provider: `<flow id>.<32 random bytes>`. Only the hash of
 * the random part is stored, so the state cannot be rebuilt from the database; the id finds the
 * flow, which belongs to one tenant.
 */
export function newBrowserState(flowId: string): { state: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { state: `${flowId}.${secret}`, hash: hashOf(secret) };
}

/** The flow id and the hash to compare, or null for something that is not one of our states. */
export function parseBrowserState(state: string): { flowId: string; hash: string } | null {
  const match = STATE.exec(state);
  if (!match?.[1] || !match[2]) return null;
  return { flowId: match[1], hash: hashOf(match[2]) };
}
