import { createHash } from 'node:crypto';

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** Master keys from REPOVAULT_VAULT_KEYS (`id:base64key,…`); the first is the active one. */
export class VaultKeyring {
  readonly active: MasterKey;
  private readonly byId: Map<string, MasterKey>;

  constructor(keys: readonly MasterKey[]) {
    const [first] = keys;
    if (!first) throw new Error('the vault needs at least one master key');
    this.active = first;
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  get(id: string): MasterKey {
    const key = this.byId.get(id);
    if (!key) throw new Error(`vault master key "${id}" is not configured (REPOVAULT_VAULT_KEYS)`);
    return key;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `id:base64key,…`: each key must decode to exactly 32 bytes (AES-256). */
export function parseVaultKeys(raw: string): MasterKey[] {
  const keys: MasterKey[] = [];
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    if (at <= 0 || !KEY_ID.test(id)) throw new Error(`entries must look like id:base64key with an id of letters, digits, _ or - (got "${entry.slice(0, 12)}…")`);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes of base64 (got ${key.length})`);
    if (keys.some((k) => k.id === id)) throw new Error(`key id "${id}" appears twice`);
    keys.push({ id, key });
  }
  if (keys.length === 0) throw new Error('must list at least one key');
  return keys;
}

/** The development key: fixed so local data survives restarts; never valid in production. */
export const DEVELOPMENT_VAULT_KEYS = `dev:${createHash('sha256').update('repovault-development-vault-key').digest('base64')}`;
