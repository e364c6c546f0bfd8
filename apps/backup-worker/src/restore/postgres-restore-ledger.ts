import type { RestoredRef, RestoreLedger, RestoreLedgerEntry, RestoreLedgerKind } from '@repovault/providers/core';
import type { Repository } from 'typeorm';
import { RestoreLedgerEntity } from './restore-ledger.entity';

/**
 * One restore's ledger in the worker's schema. Everything is read once per kind and kept in memory
 * for the job (only this job writes this restore's rows); every write is durable before it returns.
 */
export class PostgresRestoreLedger implements RestoreLedger {
  private readonly loaded = new Map<string, Map<string, RestoreLedgerEntry>>();

  constructor(private readonly rows: Repository<RestoreLedgerEntity>, private readonly tenantId: string, private readonly restoreId: string) {}

  async get(kind: RestoreLedgerKind, sourceId: string): Promise<RestoreLedgerEntry | null> {
    return (await this.kind(kind)).get(sourceId) ?? null;
  }

  async entries(kind: RestoreLedgerKind): Promise<ReadonlyMap<string, RestoreLedgerEntry>> {
    return new Map(await this.kind(kind));
  }

  async begin(kind: RestoreLedgerKind, sourceId: string): Promise<void> {
    await this.save(kind, sourceId, 'pending', null);
  }

  async complete(kind: RestoreLedgerKind, sourceId: string, created: RestoredRef): Promise<void> {
    await this.save(kind, sourceId, 'done', created);
  }

  private async save(kind: string, sourceId: string, state: 'pending' | 'done', created: RestoredRef | null): Promise<void> {
    const entry: RestoreLedgerEntry = { kind, sourceId, state, targetId: created?.targetId ?? null, targetNumber: created?.targetNumber ?? null };
    await this.rows.upsert({
      restoreId: this.restoreId, kind, sourceId, tenantId: this.tenantId, state, targetId: entry.targetId, targetNumber: entry.targetNumber, updatedAt: new Date(),
    }, ['restoreId', 'kind', 'sourceId']);
    (await this.kind(kind)).set(sourceId, entry);
  }

  private async kind(kind: string): Promise<Map<string, RestoreLedgerEntry>> {
    let entries = this.loaded.get(kind);
    if (!entries) {
      const rows = await this.rows.findBy({ restoreId: this.restoreId, kind });
      entries = new Map(rows.map((r) => [r.sourceId, { kind: r.kind, sourceId: r.sourceId, state: r.state, targetId: r.targetId, targetNumber: r.targetNumber }]));
      this.loaded.set(kind, entries);
    }
    return entries;
  }
}
