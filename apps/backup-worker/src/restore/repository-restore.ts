import { Logger } from '@nestjs/common';
import type { OrganizationRecord, RepositoryRecord, RestoreWork } from '@repovault/contracts/internal-api';
import { RemoteNotFoundError } from '@repovault/platform/git';
import { type JobContext, RetryLaterError } from '@repovault/platform/queue';
import type { SnapshotManifest, SnapshotStore } from '@repovault/platform/storage';
import { providerSupport } from '@repovault/providers/catalog';
import {
  CredentialRejectedError, type MetadataKind, type ProviderFetch, type RepositoryRestorer, RestoreForbiddenError, RestoreTargetExistsError,
  type RestoreTargetRepository, UpstreamRateLimitedError, restoreKindsOf,
} from '@repovault/providers/core';
import type { Repository } from 'typeorm';
import type { ServiceClients } from '../clients/service-clients';
import type { EgressProxy, EgressRoute } from '../egress/egress-proxy';
import { dependency } from '../backup/dependency-calls';
import type { GitRestore } from './git-restore';
import { PostgresRestoreLedger } from './postgres-restore-ledger';
import type { RestoreLedgerEntity } from './restore-ledger.entity';
import { RestoreProgressTracker } from './restore-progress-tracker';
import { StoredSnapshotMetadata } from './snapshot-metadata-source';

export interface RestoreJob {
  tenantId: string;
  restoreId: string;
}

/** Why a restore cannot succeed however often it runs (reported, not retried). */
class RestoreImpossibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreImpossibleError';
  }
}

const TARGET_LEDGER = { kind: 'repository', sourceId: 'target' } as const;

/**
 * Restores one snapshot into a repository of the same provider: finds or creates the target, pushes
 * every ref (mirror semantics), uploads the LFS objects, pushes the wiki, then lets the provider's
 * restorer write the metadata. All provider traffic goes through the egress proxy under claims of
 * purpose `restore`; every write is in the restore's ledger, so the job can simply run again after
 * a crash (SIGKILL included) and finishes without duplicates.
 */
export class RepositoryRestore {
  private readonly logger = new Logger('RepositoryRestore');

  constructor(
    private readonly clients: ServiceClients,
    private readonly proxy: EgressProxy,
    private readonly git: GitRestore,
    private readonly store: SnapshotStore,
    private readonly ledgerRows: Repository<RestoreLedgerEntity>,
  ) {}

  async run(job: RestoreJob, context: JobContext): Promise<void> {
    const work = await dependency(() => this.clients.restoreWork(job.tenantId, job.restoreId));
    if (work.status !== 'queued' && work.status !== 'running') return; // finished: a late duplicate of the job
    const progress = new RestoreProgressTracker((report) => dependency(() => this.clients.restoreProgress(job.tenantId, job.restoreId, report)));
    const routes: EgressRoute[] = [];
    try {
      await this.restore(job, work, progress, routes);
      await progress.finish(progress.hasFailures() ? 'partially-failed' : 'succeeded');
    } catch (error) {
      if (error instanceof RetryLaterError) throw error;
      if (routes.some((r) => r.claimsUnavailable())) throw new RetryLaterError(15_000, 'claims unavailable during the restore');
      if (error instanceof UpstreamRateLimitedError) throw new RetryLaterError(Math.max(1_000, error.retryAfterMs ?? 60_000), 'the provider rate-limited the restore');
      const impossible = error instanceof RestoreImpossibleError || error instanceof RestoreTargetExistsError || error instanceof RestoreForbiddenError
        || error instanceof CredentialRejectedError;
      if (!impossible && context.attemptsMade + 1 < context.maxAttempts) throw error;
      this.logger.warn({ restoreId: job.restoreId, err: error }, 'restore failed');
      progress.fatal((error as Error).message);
      await progress.finish('failed');
    } finally {
      for (const route of routes) route.release();
    }
  }

  private async restore(job: RestoreJob, work: RestoreWork, progress: RestoreProgressTracker, routes: EgressRoute[]): Promise<void> {
    const manifest = await this.manifest(work);
    const [organization, source] = await Promise.all([
      dependency(() => this.clients.organization(job.tenantId, work.targetOrganizationId)),
      dependency(() => this.clients.repository(job.tenantId, work.sourceRepositoryId)),
    ]);
    const support = providerSupport(organization.provider);
    if (!support.restorer) throw new RestoreImpossibleError(`restores into ${support.displayName} are not supported yet`);
    // the restorer is built before its route so that its extra credential origins can go into the route
    let apiFetch: ProviderFetch = () => Promise.reject(new Error('the restore route is not registered yet'));
    const restorer = support.restorer({ apiBaseUrl: organization.apiBaseUrl, fetch: (url, init) => apiFetch(url, init) });
    const apiOrigin = new URL(organization.apiBaseUrl).origin;
    const apiRoute = this.route(job, organization, [apiOrigin, ...(restorer.credentialOrigins ?? [])], apiOrigin);
    routes.push(apiRoute);
    apiFetch = apiRoute.fetch;

    await progress.phase('target');
    const ledger = new PostgresRestoreLedger(this.ledgerRows, job.tenantId, job.restoreId);
    const { target, created } = await this.target(work, organization, source, manifest, restorer, ledger);
    progress.targetIs({ fullName: target.fullName, url: target.webUrl || null });

    const cloneOrigin = new URL(target.cloneUrl).origin;
    const gitRoute = cloneOrigin === apiOrigin ? apiRoute : this.route(job, organization, [apiOrigin, cloneOrigin, ...(restorer.credentialOrigins ?? [])], cloneOrigin);
    if (gitRoute !== apiRoute) routes.push(gitRoute);

    const git = await this.restoreGit(work, manifest, source, target, restorer, gitRoute, progress);
    await this.restoreMetadata(work, manifest, target, created, restorer, ledger, progress, git);
    if (git.staged.size > 0 && git.remoteUrl) {
      await progress.phase('cleanup');
      const keep = new Set(git.keepStaged);
      await this.git.deleteRefs(git.remoteUrl, [...git.staged.values()].filter((ref) => !keep.has(ref)));
      if (keep.size > 0) {
        progress.notRestored('staging-branches', 'kept: the head of a restored open pull request whose own branch had moved on (the provider closes a pull request whose branch is deleted)', undefined, keep.size);
      }
    }
  }

  private async manifest(work: RestoreWork): Promise<SnapshotManifest> {
    try {
      return await this.store.readManifest(work.sourceRepositoryId, work.snapshotId);
    } catch (error) {
      if ((error as Error).name === 'ManifestNotFoundError') throw new RestoreImpossibleError(`snapshot ${work.snapshotId} is no longer in storage (removed by retention?)`);
      throw error;
    }
  }

  private route(job: RestoreJob, organization: OrganizationRecord, origins: string[], gitOrigin: string): EgressRoute {
    return this.proxy.register({
      tenantId: job.tenantId,
      organizationId: organization.id,
      purpose: 'restore',
      provider: organization.provider,
      apiBaseUrl: organization.apiBaseUrl,
      credentialOrigins: [...new Set(origins)],
      gitOrigin,
    });
  }

  /**
   * The repository to write into. A new repository is created once (ledger); when the name is
   * taken by anything this restore did not create, the restore fails instead of writing into it.
   */
  private async target(
    work: RestoreWork, organization: OrganizationRecord, source: RepositoryRecord, manifest: SnapshotManifest, restorer: RepositoryRestorer, ledger: PostgresRestoreLedger,
  ): Promise<{ target: RestoreTargetRepository; created: boolean }> {
    if (work.mode === 'overwrite') {
      const [owner, name] = splitFullName(work.sourceFullName);
      const found = await restorer.findRepository(owner, name);
      if (!found) throw new RestoreImpossibleError(`${work.sourceFullName} does not exist upstream any more: restore it as a new repository instead`);
      return { target: found, created: false };
    }
    const entry = await ledger.get(TARGET_LEDGER.kind, TARGET_LEDGER.sourceId);
    const found = await restorer.findRepository(organization.name, work.repositoryName);
    if (found) {
      // pending: the create went out before a crash; the name was free when this restore looked
      if (entry) {
        await ledger.complete(TARGET_LEDGER.kind, TARGET_LEDGER.sourceId, { targetId: found.providerId });
        return { target: found, created: true };
      }
      throw new RestoreTargetExistsError(found.fullName);
    }
    await ledger.begin(TARGET_LEDGER.kind, TARGET_LEDGER.sourceId);
    const target = await restorer.createRepository({
      owner: organization.name,
      name: work.repositoryName,
      private: source.private,
      description: `Restored by RepoVault from ${manifest.repositoryFullName} (snapshot of ${manifest.createdAt})`,
      wiki: work.include.wiki && manifest.files.some((f) => f.kind === 'wiki-bundle'),
      issues: true,
    });
    await ledger.complete(TARGET_LEDGER.kind, TARGET_LEDGER.sourceId, { targetId: target.providerId });
    return { target, created: true };
  }

  private async restoreGit(
    work: RestoreWork, manifest: SnapshotManifest, source: RepositoryRecord, target: RestoreTargetRepository, restorer: RepositoryRestorer, route: EgressRoute,
    progress: RestoreProgressTracker,
  ): Promise<{ refs: Record<string, string>; staged: Map<string, string>; keepStaged: string[]; remoteUrl: string | null }> {
    const staged = new Map<string, string>();
    const bundle = manifest.files.find((f) => f.kind === 'bundle');
    const refCount = Object.keys(manifest.refs).length;
    if (!work.include.git || !bundle) {
      if (refCount > 0) {
        progress.source('git-refs', refCount);
        progress.notRestored('git-refs', work.include.git ? 'the snapshot holds no git data' : 'git was not asked for', undefined, refCount);
      }
      return { refs: {}, staged, keepStaged: [], remoteUrl: null };
    }
    await progress.phase('git');
    const readOnly = (ref: string) => restorer.capabilities.readOnlyRefPrefixes.some((prefix) => ref.startsWith(prefix));
    const desired: Record<string, string> = {};
    let providerManaged = 0;
    for (const [ref, sha] of Object.entries(manifest.refs)) {
      if (!readOnly(ref)) {
        desired[ref] = sha;
        continue;
      }
      const staging = work.include.pullRequests ? restorer.capabilities.stagingRefFor?.(ref) ?? null : null;
      if (staging && !(staging in manifest.refs)) {
        desired[staging] = sha;
        staged.set(ref, staging);
      }
      providerManaged++;
    }
    const remoteUrl = route.gitUrl(target.cloneUrl);
    const pushed = await this.git.pushRefs({
      bundle, remoteUrl, desired, untouchable: readOnly,
      // a new repository mirrors the snapshot; an overwrite deletes extra refs only with the confirmation
      deleteExtras: work.mode === 'new-repository' || work.deleteExtraRefs,
    });
    progress.source('git-refs', refCount);
    progress.restored('git-refs', refCount - providerManaged);
    if (providerManaged > 0) {
      progress.notRestored('git-refs', `refs under ${restorer.capabilities.readOnlyRefPrefixes.join(', ')} are managed by the provider (it recreates them for restored pull requests)`, undefined, providerManaged);
    }
    const branch = source.defaultBranch;
    if (branch && desired[`refs/heads/${branch}`]) await restorer.setDefaultBranch(target, branch);

    await this.restoreLfs(work, manifest, restorer, route, remoteUrl, progress);
    await this.restoreWiki(work, manifest, target, restorer, route, progress);
    return { refs: pushed.remote, staged, keepStaged: [], remoteUrl };
  }

  private async restoreLfs(work: RestoreWork, manifest: SnapshotManifest, restorer: RepositoryRestorer, route: EgressRoute, remoteUrl: string, progress: RestoreProgressTracker): Promise<void> {
    const objects = manifest.files.filter((f) => f.kind === 'lfs').map((f) => ({ oid: f.sha256, size: f.bytes }));
    if (objects.length === 0) return;
    progress.source('lfs-objects', objects.length);
    if (!work.include.lfs || !restorer.capabilities.lfs) {
      progress.notRestored('lfs-objects', work.include.lfs ? 'the provider has no Git LFS' : 'LFS was not asked for', undefined, objects.length);
      return;
    }
    await progress.phase('lfs');
    const report = await this.git.uploadLfs(route, remoteUrl, objects);
    progress.restored('lfs-objects', report.transferred.length + report.skipped.length);
    for (const failure of report.failed) progress.failed('lfs-objects', failure.oid, `${failure.reason}${failure.status ? ` ${failure.status}` : ''}: ${failure.message}`);
  }

  private async restoreWiki(work: RestoreWork, manifest: SnapshotManifest, target: RestoreTargetRepository, restorer: RepositoryRestorer, route: EgressRoute, progress: RestoreProgressTracker): Promise<void> {
    const bundle = manifest.files.find((f) => f.kind === 'wiki-bundle');
    const refs = manifest.wikiRefs ?? {};
    if (!bundle || Object.keys(refs).length === 0) return;
    progress.source('wiki-refs', Object.keys(refs).length);
    if (!work.include.wiki || !restorer.capabilities.wiki || !target.wikiUrl) {
      const reason = !work.include.wiki ? 'the wiki was not asked for' : 'the target repository has no wiki';
      progress.notRestored('wiki-refs', reason, undefined, Object.keys(refs).length);
      return;
    }
    await progress.phase('wiki');
    try {
      await this.git.pushRefs({
        bundle, remoteUrl: route.gitUrl(target.wikiUrl), desired: refs, untouchable: () => false, deleteExtras: work.mode === 'new-repository' || work.deleteExtraRefs,
      });
      progress.restored('wiki-refs', Object.keys(refs).length);
    } catch (error) {
      if (!(error instanceof RemoteNotFoundError)) throw error;
      // GitHub creates a wiki's repository only with its first page (in the web interface)
      progress.notRestored('wiki-refs', 'the target has no wiki repository yet: create its first page once, then restore again', undefined, Object.keys(refs).length);
    }
  }

  private async restoreMetadata(
    work: RestoreWork, manifest: SnapshotManifest, target: RestoreTargetRepository, created: boolean, restorer: RepositoryRestorer, ledger: PostgresRestoreLedger,
    progress: RestoreProgressTracker, git: { refs: Record<string, string>; staged: Map<string, string>; keepStaged: string[] },
  ): Promise<void> {
    const metadata = new StoredSnapshotMetadata(manifest, this.store);
    const asked = restoreKindsOf(work.include).filter((kind) => metadata.has(kind));
    const writable: MetadataKind[] = [];
    for (const kind of asked) {
      progress.source(kind, metadata.count(kind));
      const reason = restorer.capabilities.unwritable[kind];
      if (reason || !restorer.capabilities.writable.includes(kind)) {
        if (metadata.count(kind) > 0) progress.notRestored(kind, reason ?? 'the provider\'s API cannot write it', undefined, metadata.count(kind));
      } else {
        writable.push(kind);
      }
    }
    if (writable.length === 0) return;
    await progress.phase('metadata');
    const result = await restorer.restoreMetadata({
      restoreId: work.restoreId,
      mode: work.mode,
      kinds: writable,
      source: { fullName: manifest.repositoryFullName, webUrl: null },
      target,
      targetCreated: created,
      metadata,
      ledger,
      progress: { restored: (k, n) => progress.restored(k, n), notRestored: (k, r, s, n) => progress.notRestored(k, r, s, n), failed: (k, s, m) => progress.failed(k, s, m), checkpoint: () => progress.checkpoint().catch(() => undefined) },
      targetRefs: git.refs,
      stagedRefs: git.staged,
    });
    git.keepStaged.push(...(result?.keepStagedRefs ?? []));
  }
}

function splitFullName(fullName: string): [string, string] {
  const slash = fullName.lastIndexOf('/');
  return [fullName.slice(0, slash), fullName.slice(slash + 1)];
}
