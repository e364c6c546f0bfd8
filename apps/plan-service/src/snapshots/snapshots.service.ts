import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { SnapshotRecord } from '@repovault/contracts/internal-api';
import { type Page, ProblemException, decodeCursor, toPage } from '@repovault/platform/http';
import {
  type ManifestFile, ManifestNotFoundError, METADATA_KINDS, type MetadataKind, ObjectNotFoundError, type SnapshotManifest, type SnapshotStore,
} from '@repovault/platform/storage';
import type { Repository } from 'typeorm';
import { SNAPSHOT_STORE } from '../storage/snapshot-store.provider';
import { toSnapshotRecord } from './snapshot-record';
import { SnapshotEntity } from './snapshot.entity';

export const BUNDLE_PATH = 'repository.bundle';

export interface OpenedSnapshotFile {
  snapshot: SnapshotEntity;
  file: ManifestFile;
  /** verifies the sha256 while streaming and errors at the end when the bytes differ */
  stream: NodeJS.ReadableStream;
}

export function isMetadataKind(kind: string): kind is MetadataKind {
  return (METADATA_KINDS as readonly string[]).includes(kind);
}

/** The snapshot catalogue, and the files of a snapshot streamed (verified) from the store. */
@Injectable()
export class SnapshotsService {
  private readonly logger = new Logger('Snapshots');

  constructor(
    @InjectRepository(SnapshotEntity) private readonly snapshots: Repository<SnapshotEntity>,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
  ) {}

  async list(tenantId: string, limit: number, filter: { repositoryId?: string; planId?: string }, cursor?: string): Promise<Page<SnapshotRecord>> {
    const after = decodeCursor<{ t: string; id: string }>(cursor, ['t', 'id']);
    const query = this.snapshots.createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId })
      .orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC').limit(limit + 1);
    if (filter.repositoryId) query.andWhere('s.repository_id = :repositoryId', { repositoryId: filter.repositoryId });
    if (filter.planId) query.andWhere('s.plan_id = :planId', { planId: filter.planId });
    if (after) query.andWhere('(s.created_at, s.id) < (:t, :id)', { t: after.t, id: after.id });
    return toPage(await query.getMany(), limit, toSnapshotRecord, (s) => ({ t: s.createdAt.toISOString(), id: s.id }));
  }

  async get(tenantId: string, id: string): Promise<SnapshotRecord> {
    return toSnapshotRecord(await this.entity(tenantId, id));
  }

  /** The newest snapshot of a repository in any plan (a worker rebuilds a missing mirror from its bundle). */
  async latest(tenantId: string, repositoryId: string): Promise<SnapshotRecord> {
    const entity = await this.snapshots.findOne({ where: { tenantId, repositoryId }, order: { createdAt: 'DESC', id: 'DESC' } });
    if (!entity) throw ProblemException.notFound('A snapshot of this repository');
    return toSnapshotRecord(entity);
  }

  openBundle(tenantId: string, id: string): Promise<OpenedSnapshotFile> {
    return this.open(tenantId, id, (m) => m.files.find((f) => f.kind === 'bundle' && f.path === BUNDLE_PATH), 'This snapshot has no git bundle (the repository was empty when it was taken).');
  }

  openMetadata(tenantId: string, id: string, kind: string): Promise<OpenedSnapshotFile> {
    if (!isMetadataKind(kind)) {
      const message = `kind must be one of ${METADATA_KINDS.join(', ')}`;
      throw ProblemException.badRequest(`Unknown metadata kind "${kind.slice(0, 50)}"; ${message}.`, [{ field: 'kind', message }]);
    }
    const path = `metadata/${kind}.ndjson`;
    return this.open(tenantId, id, (m) => m.files.find((f) => f.kind === 'metadata' && f.path === path), `This snapshot holds no ${kind} metadata.`);
  }

  private async open(tenantId: string, id: string, select: (manifest: SnapshotManifest) => ManifestFile | undefined, absent: string): Promise<OpenedSnapshotFile> {
    const snapshot = await this.entity(tenantId, id);
    let manifest: SnapshotManifest;
    try {
      manifest = await this.store.readManifest(snapshot.repositoryId, snapshot.id);
    } catch (error) {
      // removed by retention between the catalogue read and now
      if (error instanceof ManifestNotFoundError) throw ProblemException.notFound('Snapshot');
      throw error;
    }
    const file = select(manifest);
    if (!file) throw new ProblemException(404, 'snapshot-file-not-found', absent);
    try {
      return { snapshot, file, stream: await this.store.openVerified(file.sha256) };
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      this.logger.error({ snapshotId: id, sha256: file.sha256 }, 'a file of a catalogued snapshot is missing from the store');
      throw new ProblemException(404, 'snapshot-file-missing', `The store no longer holds ${file.path} of this snapshot (sha256 ${file.sha256}).`);
    }
  }

  private async entity(tenantId: string, id: string): Promise<SnapshotEntity> {
    const entity = await this.snapshots.findOneBy({ id, tenantId });
    if (!entity) throw ProblemException.notFound('Snapshot');
    return entity;
  }
}
