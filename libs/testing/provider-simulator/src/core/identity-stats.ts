import type { Clock } from './clock';

/** Resources every identity reports, so dashboards and assertions can rely on the keys. */
export const STANDARD_RESOURCES = ['core', 'search', 'graphql', 'git', 'lfs'] as const;
export type StandardResource = (typeof STANDARD_RESOURCES)[number];

export type ResourceCounts = Record<StandardResource, number> & Record<string, number>;

export interface IdentityStats {
  /** Every request attributed to the identity, refused or not (304s included). */
  requests: number;
  refusals: number;
  /** Requests sent while the identity had been told to wait (retry-after, or remaining 0 before reset). */
  violations: number;
  peakConcurrency: number;
  inFlight: number;
  /** Conditional requests answered 304. */
  notModified: number;
  byResource: ResourceCounts;
  refusalsByReason: Record<string, number>;
}

export interface SimulatorStats {
  identities: Record<string, IdentityStats>;
  /** Requests refused before they could be attributed to an identity (bad credentials), per provider. */
  authFailures: Record<string, number>;
}

export interface RequestTicket {
  readonly identity: string;
  readonly resource: string;
  /** True when the request arrived inside a wait window the identity had been given. */
  readonly violation: boolean;
  readonly generation: number;
  ended: boolean;
}

export interface BeginOptions {
  /** Free endpoints (GitHub's `/rate_limit`) are how a client checks when it may go again: never a violation. */
  exemptFromViolations?: boolean;
}

/** The wildcard wait scope: a `retry-after` applies to every resource of the identity. */
export const ALL_RESOURCES = '*';

interface Entry {
  stats: IdentityStats;
  waitUntil: Map<string, number>;
}

/**
 * Per-identity accounting shared by every provider: counts, concurrency, and what each identity has
 * been told (so a request that ignores a wait instruction is recorded as a violation).
 */
export class IdentityLedger {
  private entries = new Map<string, Entry>();
  private authFailureCounts = new Map<string, number>();
  private generation = 0;

  constructor(private readonly clock: Clock) {}

  begin(identity: string, resource: string, options: BeginOptions = {}): RequestTicket {
    const entry = this.entry(identity);
    const { stats } = entry;
    stats.requests++;
    stats.byResource[resource] = (stats.byResource[resource] ?? 0) + 1;
    stats.inFlight++;
    stats.peakConcurrency = Math.max(stats.peakConcurrency, stats.inFlight);
    const violation = !options.exemptFromViolations && this.isInsideWait(entry, resource);
    if (violation) stats.violations++;
    return { identity, resource, violation, generation: this.generation, ended: false };
  }

  end(ticket: RequestTicket): void {
    if (ticket.ended) return;
    ticket.ended = true;
    // A reset while the request was in flight already zeroed the counters it belonged to.
    if (ticket.generation !== this.generation) return;
    const stats = this.entry(ticket.identity).stats;
    stats.inFlight = Math.max(0, stats.inFlight - 1);
  }

  refused(ticket: RequestTicket, reason: string): void {
    if (ticket.generation !== this.generation) return;
    const stats = this.entry(ticket.identity).stats;
    stats.refusals++;
    stats.refusalsByReason[reason] = (stats.refusalsByReason[reason] ?? 0) + 1;
  }

  notModified(ticket: RequestTicket): void {
    if (ticket.generation !== this.generation) return;
    this.entry(ticket.identity).stats.notModified++;
  }

  /** Records that a response told the identity to hold off `scope` (a resource or ALL_RESOURCES) until `untilMs`. */
  toldToWait(identity: string, scope: string, untilMs: number): void {
    const waits = this.entry(identity).waitUntil;
    waits.set(scope, Math.max(waits.get(scope) ?? 0, untilMs));
  }

  /**
   * Like toldToWait, but binding only from the next event-loop turn: requests that had already
   * reached the server when the response was written were sent before the client could know, so
   * they are not violations. Everything arriving later is.
   */
  announceWait(identity: string, scope: string, untilMs: number): void {
    const generation = this.generation;
    setImmediate(() => {
      if (generation === this.generation) this.toldToWait(identity, scope, untilMs);
    });
  }

  inFlight(identity: string): number {
    return this.entries.get(identity)?.stats.inFlight ?? 0;
  }

  authFailure(provider: string): void {
    this.authFailureCounts.set(provider, (this.authFailureCounts.get(provider) ?? 0) + 1);
  }

  snapshot(): SimulatorStats {
    const identities: Record<string, IdentityStats> = {};
    for (const [identity, { stats }] of this.entries) {
      identities[identity] = {
        ...stats,
        byResource: { ...stats.byResource },
        refusalsByReason: { ...stats.refusalsByReason },
      };
    }
    return { identities, authFailures: Object.fromEntries(this.authFailureCounts) };
  }

  reset(): void {
    this.entries = new Map();
    this.authFailureCounts = new Map();
    this.generation++;
  }

  private isInsideWait(entry: Entry, resource: string): boolean {
    const now = this.clock.now();
    return now < (entry.waitUntil.get(ALL_RESOURCES) ?? 0) || now < (entry.waitUntil.get(resource) ?? 0);
  }

  private entry(identity: string): Entry {
    let entry = this.entries.get(identity);
    if (!entry) {
      entry = { stats: emptyStats(), waitUntil: new Map() };
      this.entries.set(identity, entry);
    }
    return entry;
  }
}

function emptyStats(): IdentityStats {
  const byResource = Object.fromEntries(STANDARD_RESOURCES.map((r) => [r, 0])) as ResourceCounts;
  return { requests: 0, refusals: 0, violations: 0, peakConcurrency: 0, inFlight: 0, notModified: 0, byResource, refusalsByReason: {} };
}
