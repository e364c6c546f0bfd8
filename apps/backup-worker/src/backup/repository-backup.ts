import { Logger } from '@nestjs/common';
import type { OrganizationRecord, RepositoryRecord, RunWork, SnapshotFileRecord, SnapshotRecord } from '@repovault/contracts/internal-api';
import { type JobContext, RetryLaterError } from '@repovault/platform/queue';
import { ManifestExistsError, type ManifestFile, type MetadataExportInfo, type SnapshotManifest, type SnapshotStore } from '@repovault/platform/storage';
import { providerSupport } from '@repovault/providers/catalog';
import type { MetadataCounts, MetadataExporter, MetadataKind, ProviderAdapter } from '@repovault/providers/core';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceClients } from '../clients/service-clients';
import type { EgressProxy, EgressRoute } from '../egress/egress-proxy';
import { dependency } from './dependency-calls';
import type { GitCapturer, PreviousGitState } from './git-capture';
import { metadataKindsOf } from './include-kinds';
import { planMetadataExport } from './metadata-export-plan';
import { MetadataFiles } from './metadata-files';
import { snapshotIdFor } from './snapshot-id';

export interface RepositoryJob {
  tenantId: string;
  runId: string;
  repositoryId: string;
}

/** Backs up one repository for one run and publishes its immutable snapshot. */
export class RepositoryBackup {
  private readonly logger = new Logger('RepositoryBackup');

  constructor(
    private readonly clients: ServiceClients,
    private readonly proxy: EgressProxy,
    private readonly git: GitCapturer,
    private readonly store: SnapshotStore,
    private readonly workRoot: string,
    private readonly options: { metadataFullExportMs: number },
  ) {}

  async run(job: RepositoryJob, context: JobContext): Promise<void> {
    const work = await dependency(() => this.clients.runWork(job.tenantId, job.runId));
    if (work.status === 'cancelled' || !work.repositoryIds.includes(job.repositoryId)) {
      await dependency(() => this.clients.repositoryResult(job.tenantId, job.runId, job.repositoryId, { status: 'skipped', error: 'the run was cancelled' }));
      return;
    }
    const [repository, organization] = await Promise.all([
      dependency(() => this.clients.repository(job.tenantId, job.repositoryId)),
      dependency(() => this.clients.organization(job.tenantId, work.organizationId)),
      dependency(() => this.clients.repositoryStarted(job.tenantId, job.runId, job.repositoryId)),
    ]);
    const workDir = join(this.workRoot, `${job.runId}-${job.repositoryId}-${context.attemptsMade}`);
    await mkdir(workDir, { recursive: true });
    const upstream = new URL(repository.cloneUrl);
    const route = this.proxy.register({
      tenantId: job.tenantId,
      organizationId: work.organizationId,
      purpose: 'backup',
      runId: job.runId,
      planId: work.planId,
      provider: organization.provider,
      apiBaseUrl: organization.apiBaseUrl,
      credentialOrigins: [...new Set([new URL(organization.apiBaseUrl).origin, upstream.origin])],
      gitOrigin: upstream.origin,
    });
    try {
      const snapshot = await this.capture(job, work, repository, organization, route, workDir);
      await dependency(() => this.clients.repositoryResult(job.tenantId, job.runId, job.repositoryId, { status: 'succeeded', snapshot }));
    } catch (error) {
      if (error instanceof RetryLaterError) throw error;
      if (route.claimsUnavailable()) throw new RetryLaterError(15_000, 'claims unavailable during the backup');
      const refused = route.claimRefused();
      if (refused) {
        // credential-service refuses this worker's claims (e.g. its token belongs to another pool): retrying cannot help
        this.logger.warn({ repositoryId: job.repositoryId, reason: refused }, 'claims refused');
        await dependency(() => this.clients.repositoryResult(job.tenantId, job.runId, job.repositoryId, { status: 'failed', error: `credential-service refused the claims: ${refused}` }));
        return;
      }
      if (context.attemptsMade + 1 >= context.maxAttempts) {
        this.logger.warn({ repositoryId: job.repositoryId, err: error }, 'repository backup failed for good');
        await dependency(() => this.clients.repositoryResult(job.tenantId, job.runId, job.repositoryId, { status: 'failed', error: (error as Error).message }));
        return;
      }
      throw error;
    } finally {
      route.release();
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async capture(
    job: RepositoryJob, work: RunWork, repository: RepositoryRecord, organization: OrganizationRecord, route: EgressRoute, workDir: string,
  ): Promise<SnapshotRecord> {
    const snapshotId = snapshotIdFor(job.runId, job.repositoryId);
    const [previous, existing] = await Promise.all([
      dependency(() => this.clients.latestSnapshot(job.tenantId, job.repositoryId)),
      this.alreadyPublished(job.repositoryId, snapshotId),
    ]);
    if (existing) return this.toRecord(existing, work, previous);

    const files: ManifestFile[] = [];
    let metadata: MetadataCounts = {};
    let metadataExport: MetadataExportInfo | undefined;
    const kinds = metadataKindsOf(work.include);
    if (kinds.length > 0) {
      const captured = await this.captureMetadata(kinds, work, repository, organization, route, workDir, previous);
      metadata = captured.counts;
      metadataExport = captured.info;
      files.push(...captured.files);
    }
    let refs: Record<string, string> = {};
    let wikiRefs: Record<string, string> | null = null;
    let lfsObjects = 0;
    if (work.include.git) {
      const git = await this.git.capture({
        key: job.repositoryId, upstreamUrl: repository.cloneUrl, route, previous: previousGit(previous, 'bundle'),
        bundlePath: 'repository.bundle', bundleKind: 'bundle', lfs: work.include.lfs,
      });
      refs = git.refs;
      lfsObjects = git.lfsObjects;
      files.push(...git.files);
    }
    const wikiUrl = providerSupport(organization.provider).wikiUrl(repository.cloneUrl);
    if (work.include.wiki && wikiUrl) {
      const wiki = await this.git.captureWiki({
        key: `${job.repositoryId}.wiki`, upstreamUrl: wikiUrl, route,
        previous: previousGit(previous, 'wiki-bundle'), bundlePath: 'wiki.bundle', bundleKind: 'wiki-bundle', lfs: false,
      });
      if (wiki) {
        wikiRefs = wiki.refs;
        files.push(...wiki.files);
      }
    }
    const manifest: SnapshotManifest = {
      formatVersion: 1,
      snapshotId,
      tenantId: job.tenantId,
      organizationId: work.organizationId,
      repositoryId: job.repositoryId,
      runId: job.runId,
      repositoryFullName: repository.fullName,
      createdAt: new Date().toISOString(),
      refs,
      wikiRefs,
      metadata: metadata as Record<string, number>,
      lfsObjects,
      files: dedupe(files),
      sizeBytes: 0,
      ...(metadataExport ? { metadataExport } : {}),
    };
    manifest.sizeBytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
    try {
      await this.store.publishManifest(manifest);
    } catch (error) {
      // a previous attempt of this job published it first: snapshots are never duplicated
      if (!(error instanceof ManifestExistsError)) throw error;
      return this.toRecord(await this.store.readManifest(job.repositoryId, snapshotId), work, previous);
    }
    return this.toRecord(manifest, work, previous);
  }

  /**
   * The repository's metadata as NDJSON files: in full, or (providers without free conditional
   * requests) only what changed since the previous snapshot's export, merged into its files.
   */
  private async captureMetadata(
    kinds: MetadataKind[], work: RunWork, repository: RepositoryRecord, organization: OrganizationRecord, route: EgressRoute, workDir: string, previous: SnapshotRecord | null,
  ): Promise<{ files: ManifestFile[]; counts: MetadataCounts; info: MetadataExportInfo }> {
    const adapter = providerSupport(organization.provider).adapter({ apiBaseUrl: organization.apiBaseUrl, fetch: route.fetch }, { includeGroups: organization.includeGroups });
    const exporter = asExporter(adapter);
    const previousManifest = previous && exporter.incremental === true ? await this.manifestOf(previous) : null;
    const plan = planMetadataExport(previousManifest, kinds, exporter.incremental === true, this.options.metadataFullExportMs, new Date(), organization.lastSyncedAt);
    const previousAssets = new Map((previous?.files ?? []).filter((f) => f.kind === 'asset').map((f) => [f.path, { sha256: f.sha256, bytes: f.bytes }]));
    const sink = new MetadataFiles(workDir, this.store, previousAssets);
    const options = { kinds, assets: work.include.releases, repositoryHasIssues: repository.hasIssues };
    if (plan.mode === 'full') {
      const counts = await exporter.exportMetadata(repository.fullName, options, sink);
      return { files: await sink.finish(kinds), counts, info: plan.info };
    }
    const activity = plan.listingCoversSince ? { repositoryActivityAt: repository.lastPushedAt } : {};
    await exporter.exportMetadata(repository.fullName, { ...options, updatedSince: plan.updatedSince, ...activity }, sink);
    const merged = await sink.finishIncremental(kinds, plan.previousFiles);
    return { files: merged.files, counts: merged.counts, info: plan.info };
  }

  /** The previous snapshot's manifest (how its metadata was exported); null when it cannot be read. */
  private async manifestOf(previous: SnapshotRecord): Promise<SnapshotManifest | null> {
    try {
      return await this.store.readManifest(previous.repositoryId, previous.id);
    } catch (error) {
      this.logger.warn({ snapshotId: previous.id, err: error }, 'previous manifest unreadable: exporting metadata in full');
      return null;
    }
  }

  private async alreadyPublished(repositoryId: string, snapshotId: string): Promise<SnapshotManifest | null> {
    try {
      return await this.store.readManifest(repositoryId, snapshotId);
    } catch (error) {
      if ((error as Error).name === 'ManifestNotFoundError') return null;
      throw error;
    }
  }

  private toRecord(manifest: SnapshotManifest, work: RunWork, previous: SnapshotRecord | null): SnapshotRecord {
    const known = new Set((previous?.files ?? []).map((f) => f.sha256));
    const files: SnapshotFileRecord[] = manifest.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, kind: f.kind }));
    return {
      id: manifest.snapshotId,
      repositoryId: manifest.repositoryId,
      organizationId: manifest.organizationId,
      planId: work.planId,
      runId: manifest.runId,
      repositoryFullName: manifest.repositoryFullName,
      createdAt: manifest.createdAt,
      refs: manifest.refs,
      wikiRefs: manifest.wikiRefs,
      metadata: manifest.metadata,
      lfsObjects: manifest.lfsObjects,
      sizeBytes: manifest.sizeBytes,
      newBytes: files.filter((f) => !known.has(f.sha256)).reduce((sum, f) => sum + f.bytes, 0),
      files,
    };
  }

}

function previousGit(previous: SnapshotRecord | null, kind: 'bundle' | 'wiki-bundle'): PreviousGitState | null {
  if (!previous) return null;
  const bundle = previous.files.find((f) => f.kind === kind) ?? null;
  const refs = kind === 'bundle' ? previous.refs : previous.wikiRefs;
  return refs ? { refs, bundle } : null;
}

function dedupe(files: ManifestFile[]): ManifestFile[] {
  const seen = new Set<string>();
  return files.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
}

function asExporter(adapter: ProviderAdapter): MetadataExporter {
  const candidate = adapter as ProviderAdapter & Partial<MetadataExporter>;
  if (typeof candidate.exportMetadata !== 'function') throw new Error(`the ${adapter.kind} adapter cannot export metadata`);
  return candidate as MetadataExporter;
}
