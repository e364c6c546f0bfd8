import type { EntityManager } from 'typeorm';

/** Why a state was refused, in words for the person holding the browser. */
export type StateRefusal = 'unknown' | 'replayed' | 'expired';

export const STATE_REFUSALS: Record<StateRefusal, string> = {
  unknown: 'This link does not belong to a RepoVault authorization (its state is unknown or was altered). Start again from RepoVault.',
  replayed: 'This link was already used: a state works only once. Start again from RepoVault.',
  expired: 'This link has expired (it is valid for 10 minutes). Start again from RepoVault.',
};

/**
 * Uses a state exactly once: one UPDATE marks it used only if the hash matches, it is unused and
 * still valid, so two callbacks racing with one state cannot both pass. On a refusal it says why.
 */
export async function consumeState(manager: EntityManager, table: string, flowId: string, hash: string): Promise<{ ok: true } | { ok: false; reason: StateRefusal }> {
  const [rows] = (await manager.query(
    `UPDATE ${table} SET state_used_at = now() WHERE id = $1 AND state_hash = $2 AND state_used_at IS NULL AND expires_at > now() RETURNING id`,
    [flowId, hash],
  )) as [unknown[], number];
  if (rows.length === 1) return { ok: true };
  const [found] = (await manager.query(`SELECT state_used_at IS NOT NULL AS used, expires_at <= now() AS expired FROM ${table} WHERE id = $1 AND state_hash = $2`, [flowId, hash])) as {
    used: boolean;
    expired: boolean;
  }[];
  if (!found) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: found.used ? 'replayed' : 'expired' };
}
