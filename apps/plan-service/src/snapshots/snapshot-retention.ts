import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type SnapshotStore, snapshotsToPrune } from '@repovault/platform/storage';
import { In, type Repository } from 'typeorm';
import { PlanEntity } from '../plans/plan.entity';
import { SNAPSHOT_STORE } from '../storage/snapshot-store.provider';
import { SnapshotEntity } from './snapshot.entity';

export interface FinishedRun {
  runId: string;
  tenantId: string;
  planId: string;
  repositoryIds: string[];
}

/**
 * Retention after a run: per repository of the run, keepLast over that repository's snapshots of the
 * plan (never its newest), catalogue rows first, then their manifests; then one garbage collection
 * of the store for the unreferenced files. Runs in the background, one pass at a time per process:
 * runs finishing together share a collection, and a pass lost to a crash is redone by the next run
 * of the same plan (retention looks at all of a repository's snapshots, not at what just changed).
 */
@Injectable()
export class SnapshotRetention implements OnApplicationShutdown {
  private readonly logger = new Logger('SnapshotRetention');
  private readonly pending = new Map<string, FinishedRun>();
  private draining?: Promise<void>;

  constructor(
    @InjectRepository(SnapshotEntity) private readonly snapshots: Repository<SnapshotEntity>,
    @InjectRepository(PlanEntity) private readonly plans: Repository<PlanEntity>,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
  ) {}

  afterRun(run: FinishedRun): void {
    this.pending.set(run.runId, run);
    this.kick();
  }

  /** Resolves once nothing is pending (shutdown waits for it; so do tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  /** keepLast for one repository of one plan; returns the pruned snapshot ids. */
  async applyKeepLast(tenantId: string, planId: string, repositoryId: string, keepLast: number): Promise<string[]> {
    const rows = await this.snapshots.find({
      select: { id: true, createdAt: true },
      where: { tenantId, planId, repositoryId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    const prune = snapshotsToPrune(rows.map((r) => ({ snapshotId: r.id, createdAt: r.createdAt.toISOString() })), keepLast);
    if (prune.length === 0) return [];
    // the catalogue forgets them first: nothing can be handed out whose manifest is about to go
    await this.snapshots.delete({ tenantId, planId, repositoryId, id: In(prune) });
    for (const snapshotId of prune) await this.store.deleteManifest(repositoryId, snapshotId);
    return prune;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.pending.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const runs = [...this.pending.values()];
      this.pending.clear();
      for (const run of runs) {
        try {
          await this.retain(run);
        } catch (error) {
          this.logger.error({ runId: run.runId, err: error }, 'retention failed; the next run of the plan applies it again');
        }
      }
      try {
        const result = await this.store.collectGarbage();
        if (result.deletedObjects > 0) this.logger.log({ ...result }, 'unreferenced snapshot files collected');
      } catch (error) {
        this.logger.error({ err: error }, 'snapshot garbage collection failed; the next run retries it');
      }
    }
  }

  private async retain(run: FinishedRun): Promise<void> {
    const plan = await this.plans.findOneBy({ id: run.planId, tenantId: run.tenantId });
    if (!plan) return;
    let pruned = 0;
    for (const repositoryId of run.repositoryIds) {
      pruned += (await this.applyKeepLast(run.tenantId, run.planId, repositoryId, plan.keepLast)).length;
    }
    if (pruned > 0) this.logger.log({ runId: run.runId, planId: run.planId, pruned, keepLast: plan.keepLast }, 'retention applied');
  }
}
