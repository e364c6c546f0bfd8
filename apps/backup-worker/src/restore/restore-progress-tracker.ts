import type { RestoreErrorRecord, RestoreItemCountsRecord, RestoreNotRestoredRecord, RestoreProgressReport, RestoreStatus } from '@repovault/contracts/internal-api';
import { type NotRestoredItem, RESTORE_ITEM_KINDS, type RestoreItemKind, type RestoreProgress } from '@repovault/providers/core';

const MAX_ERRORS = 50;
const MAX_EXAMPLES = 5;
const CHECKPOINT_EVERY_MS = 1_000;

/**
 * Counts and the report of one attempt of a restore. Items an earlier attempt wrote are counted
 * again (the restorer reports them as restored when the ledger skips them), so every report
 * replaces the previous one.
 */
export class RestoreProgressTracker implements RestoreProgress {
  private readonly items: Record<string, RestoreItemCountsRecord> = {};
  private readonly skipped: RestoreNotRestoredRecord[] = [];
  private readonly errors: RestoreErrorRecord[] = [];
  private target: RestoreProgressReport['target'];
  private detail: string | null = null;
  private lastCheckpoint = 0;

  constructor(private readonly send: (report: RestoreProgressReport) => Promise<void>) {}

  /** How many items of a kind the snapshot holds. */
  source(kind: RestoreItemKind, count: number): void {
    this.counts(kind).source = count;
  }

  restored(kind: RestoreItemKind, count = 1): void {
    this.counts(kind).restored += count;
    this.soon();
  }

  notRestored(kind: NotRestoredItem['kind'], reason: string, sourceId?: string, count = 1): void {
    if ((RESTORE_ITEM_KINDS as readonly string[]).includes(kind)) this.counts(kind as RestoreItemKind).notRestored += count;
    let item = this.skipped.find((i) => i.kind === kind && i.reason === reason);
    if (!item) {
      item = { kind, reason, count: 0, examples: [] };
      this.skipped.push(item);
    }
    item.count += count;
    if (sourceId && item.examples.length < MAX_EXAMPLES && !item.examples.includes(sourceId)) item.examples.push(sourceId);
  }

  failed(kind: RestoreItemKind, sourceId: string, message: string): void {
    this.counts(kind).failed += 1;
    if (this.errors.length < MAX_ERRORS) this.errors.push({ kind, item: sourceId, message });
  }

  /** An error of the restore as a whole (it ends failed). */
  fatal(message: string): void {
    this.errors.push({ kind: null, item: null, message });
  }

  phase(detail: string): Promise<void> {
    this.detail = detail;
    return this.checkpoint(true);
  }

  targetIs(target: NonNullable<RestoreProgressReport['target']>): void {
    this.target = target;
  }

  hasFailures(): boolean {
    return Object.values(this.items).some((i) => i.failed > 0);
  }

  /** A checkpoint in the background when one is due (progress is best effort; the final report is not). */
  private soon(): void {
    if (Date.now() - this.lastCheckpoint >= CHECKPOINT_EVERY_MS) void this.checkpoint().catch(() => undefined);
  }

  async checkpoint(force = false): Promise<void> {
    if (!force && Date.now() - this.lastCheckpoint < CHECKPOINT_EVERY_MS) return;
    this.lastCheckpoint = Date.now();
    await this.send(this.report('running'));
  }

  finish(status: RestoreStatus): Promise<void> {
    this.detail = null;
    return this.send(this.report(status));
  }

  report(status: RestoreStatus): RestoreProgressReport {
    return {
      status,
      statusDetail: this.detail,
      ...(this.target ? { target: this.target } : {}),
      items: structuredClone(this.items),
      notRestored: structuredClone(this.skipped),
      errors: [...this.errors],
    };
  }

  private counts(kind: RestoreItemKind): RestoreItemCountsRecord {
    let counts = this.items[kind];
    if (!counts) {
      counts = { source: 0, restored: 0, notRestored: 0, failed: 0 };
      this.items[kind] = counts;
    }
    return counts;
  }
}
