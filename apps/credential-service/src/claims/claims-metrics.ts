import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@repovault/platform/http';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { BudgetLedger } from '@repovault/providers/budgets';

/** Per-credential visibility: remaining budget, claims, waits and refusals. */
@Injectable()
export class ClaimsMetrics {
  private readonly claims: Counter<'credential' | 'outcome'>;
  private readonly refusals: Counter<'credential'>;
  private readonly waitSeconds: Histogram<'reason'>;
  private readonly seen = new Map<string, { credentialId: string; resource: string }>();
  private ledger?: BudgetLedger;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.claims = new Counter({ name: 'repovault_claims_total', help: 'Claims by credential and outcome (granted, wait)', labelNames: ['credential', 'outcome'], registers });
    this.refusals = new Counter({ name: 'repovault_provider_refusals_total', help: 'Provider rate-limit refusals (403/429) by credential', labelNames: ['credential'], registers });
    this.waitSeconds = new Histogram({
      name: 'repovault_claim_wait_seconds', help: 'How long a claim was told to wait, by reason', labelNames: ['reason'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600], registers,
    });
    const seen = this.seen;
    const ledger = () => this.ledger;
    new Gauge({
      name: 'repovault_budget_remaining',
      help: 'Remaining provider budget per credential and resource, as last learnt',
      labelNames: ['credential', 'resource'],
      registers,
      async collect() {
        const l = ledger();
        if (!l) return;
        for (const [key, { credentialId, resource }] of seen) {
          const state = await l.state(key).catch(() => null);
          if (state?.remaining !== null && state?.remaining !== undefined) this.set({ credential: credentialId, resource }, state.remaining);
        }
      },
    });
  }

  attach(ledger: BudgetLedger): void {
    this.ledger = ledger;
  }

  granted(credentialId: string, budgetKey: string, resource: string): void {
    this.claims.inc({ credential: credentialId, outcome: 'granted' });
    if (this.seen.size < 10_000) this.seen.set(budgetKey, { credentialId, resource });
  }

  waited(retryAt: number, reason: string): void {
    this.claims.inc({ credential: 'any', outcome: 'wait' });
    this.waitSeconds.observe({ reason: reason.split(',')[0] ?? 'unknown' }, Math.max(0, retryAt - Date.now()) / 1000);
  }

  refused(credentialId: string): void {
    this.refusals.inc({ credential: credentialId });
  }
}
