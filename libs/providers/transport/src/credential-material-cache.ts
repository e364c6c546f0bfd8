import type { CredentialMaterial } from '@repovault/contracts/internal-api';
import { secretScrubber } from '@repovault/platform/logging';

const IDLE_MS = 15 * 60_000;

interface Entry {
  material: Promise<CredentialMaterial>;
  usedAt: number;
  /** epoch ms from which the material is fetched again (short-lived secrets); Infinity: never */
  renewAt: number;
}

/**
 * Secrets reach the worker at most once per credential per run and live only in its memory:
 * fetched on first use, dropped after the run's jobs on this worker go idle. Short-lived secrets
 * (OAuth access tokens, GitHub App installation tokens) are fetched again once credential-service's
 * `renewAt` has passed, so a token renewed in the middle of a run is picked up before the old one
 * expires; callers meanwhile share one fetch.
 */
export class CredentialMaterialCache {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly load: (tenantId: string, credentialId: string) => Promise<CredentialMaterial>, private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get(tenantId: string, scope: string, credentialId: string): Promise<CredentialMaterial> {
    const key = `${scope}/${credentialId}`;
    const hit = this.entries.get(key);
    const now = this.now();
    if (hit && now < hit.renewAt) {
      hit.usedAt = now;
      return hit.material;
    }
    const entry: Entry = { material: Promise.resolve(null as never), usedAt: now, renewAt: Infinity };
    entry.material = this.load(tenantId, credentialId).then((m) => {
      secretScrubber.register(m.secret);
      entry.renewAt = renewalOf(m);
      return m;
    });
    entry.material.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry.material;
  }

  /** How many credentials' material is held (tests check "once per credential per run"). */
  size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.usedAt > IDLE_MS) this.entries.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}

/** When to fetch again: credential-service's `renewAt`, else shortly before `expiresAt`, else never. */
function renewalOf(material: CredentialMaterial): number {
  const renewAt = material.renewAt ? Date.parse(material.renewAt) : NaN;
  if (Number.isFinite(renewAt)) return renewAt;
  const expiresAt = material.expiresAt ? Date.parse(material.expiresAt) : NaN;
  return Number.isFinite(expiresAt) ? expiresAt - 30_000 : Infinity;
}
