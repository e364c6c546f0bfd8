import type { CredentialMaterial } from '@repovault/contracts/internal-api';
import { secretScrubber } from '@repovault/platform/logging';

const IDLE_MS = 15 * 60_000;

/**
 * Secrets reach the worker at most once per credential per run and live only in its memory:
 * fetched on first use, dropped after the run's jobs on this worker go idle.
 */
export class CredentialMaterialCache {
  private readonly entries = new Map<string, { material: Promise<CredentialMaterial>; usedAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly load: (tenantId: string, credentialId: string) => Promise<CredentialMaterial>) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  get(tenantId: string, scope: string, credentialId: string): Promise<CredentialMaterial> {
    const key = `${scope}/${credentialId}`;
    const hit = this.entries.get(key);
    if (hit) {
      hit.usedAt = Date.now();
      return hit.material;
    }
    const material = this.load(tenantId, credentialId).then((m) => {
      secretScrubber.register(m.secret);
      return m;
    });
    material.catch(() => this.entries.delete(key));
    this.entries.set(key, { material, usedAt: Date.now() });
    return material;
  }

  /** How many times material was fetched (tests check "once per credential per run"). */
  size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (now - entry.usedAt > IDLE_MS) this.entries.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
