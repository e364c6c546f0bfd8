import type { MetadataKind } from './metadata-export';
import {
  type MetadataRestoreContext, type RestoredRef, type RestoreItemKind, type RestoreLedgerKind, readRestoreMarker, restoreMarker, restoreOnce,
} from './restore';

/** Where a refused write is reported: the kind and a source id a person can find. */
export interface RestoreFailureReport {
  kind: RestoreItemKind;
  id: string;
}

/**
 * The bookkeeping every provider's metadata restore repeats: writes through the ledger
 * (`restoreOnce`) with one item's refusal reported as failed instead of ending the restore, the
 * marker of this restore, and reading a kind's records.
 */
export class RestoreSteps {
  constructor(
    private readonly context: MetadataRestoreContext,
    /** true for the provider's "this one write was refused" error (a 4xx about the item itself) */
    private readonly isItemRefusal: (error: unknown) => error is Error,
  ) {}

  /**
   * restoreOnce; with `report`, a refusal of this one item is reported as failed and the item
   * skipped (null). Without it, refusals are thrown. After a write the progress is checkpointed.
   */
  async once(kind: RestoreLedgerKind, sourceId: string, create: () => Promise<RestoredRef>, find: () => Promise<RestoredRef | null>, report?: RestoreFailureReport): Promise<RestoredRef | null> {
    try {
      const { ref, created } = await restoreOnce(this.context.ledger, kind, sourceId, { find, create });
      // the worker sends counts at most once a second: progress shows while a long restore runs
      if (created) await this.context.progress.checkpoint();
      return ref;
    } catch (error) {
      if (!report || !this.isItemRefusal(error)) throw error;
      this.context.progress.failed(report.kind, report.id, error.message);
      return null;
    }
  }

  /** The marker this restore ends a created text with. */
  marker(kind: RestoreLedgerKind, sourceId: string): string {
    return restoreMarker(this.context.restoreId, kind, sourceId);
  }

  /** Whether a text carries this restore's marker for that item. */
  isMarked(text: unknown, kind: RestoreLedgerKind, sourceId: string): boolean {
    const marker = readRestoreMarker(typeof text === 'string' ? text : null);
    return marker !== null && marker.restoreId === this.context.restoreId && marker.kind === kind && marker.sourceId === sourceId;
  }

  /** Whether the restore writes this kind (asked for, and held by the snapshot). */
  wants(kind: MetadataKind): boolean {
    return this.context.kinds.includes(kind) && this.context.metadata.has(kind);
  }

  /** Every record of a kind (callers keep a kind in memory only where they must sort or group it). */
  async collect<T = Record<string, unknown>>(kind: MetadataKind): Promise<T[]> {
    const out: T[] = [];
    if (!this.context.metadata.has(kind)) return out;
    for await (const record of this.context.metadata.records<T>(kind)) out.push(record);
    return out;
  }

  /** Reports every record of the kinds the provider cannot write at all (when they were asked for). */
  reportUnwritable(unwritable: Partial<Record<MetadataKind, string>>): void {
    for (const [kind, reason] of Object.entries(unwritable) as Array<[MetadataKind, string]>) {
      if (!this.context.kinds.includes(kind)) continue;
      const count = this.context.metadata.count(kind);
      if (count > 0) this.context.progress.notRestored(kind, reason, undefined, count);
    }
  }
}
