import type { OrganizationRecord, PlanRecord, RepositoryRecord, RunRecord, SnapshotRecord } from '@repovault/contracts/internal-api';
import type { Page } from '@repovault/platform/http';
import { ManifestNotFoundError, createLocalSnapshotStore, type SnapshotStore } from '@repovault/platform/storage';
import { createHash, randomUUID } from 'node:crypto';
import { chmod, stat, writeFile } from 'node:fs/promises';
import { SnapshotRetention } from '../src/snapshots/snapshot-retention';
import { type InternalCaller, type PlanServiceStack, startPlanServiceStack } from './support/plan-service-harness';
import { ageObjects, objectPath, publishSnapshot } from './support/snapshots';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('snapshot catalogue, retention and streaming (real local store in a temp dir)', () => {
  let stack: PlanServiceStack;
  let store: SnapshotStore;
  beforeAll(async () => {
    stack = await startPlanServiceStack();
    store = createLocalSnapshotStore(stack.storageDir);
  });
  afterAll(async () => {
    await stack.close();
  });

  interface Org {
    tenantId: string;
    org: OrganizationRecord;
    repos: RepositoryRecord[];
    gateway: InternalCaller;
    worker: InternalCaller;
  }

  function organization(repositories: string[]): Org {
    const tenantId = randomUUID();
    const org = stack.upstreams.addOrganization(tenantId);
    const repos = repositories.map((n) => stack.upstreams.addRepository(org.id, `${org.name}/${n}`));
    return { tenantId, org, repos, gateway: stack.as('api-gateway', tenantId), worker: stack.as('backup-worker', tenantId) };
  }

  /** One whole run as a worker would do it; each repository gets the content the test asks for, or fails. */
  async function run(o: Org, plan: PlanRecord, contents: Record<string, { bundle?: string; issues?: string[]; createdAt?: Date } | 'fail'>): Promise<Record<string, SnapshotRecord>> {
    const started = (await o.gateway.call<RunRecord>('POST', `/internal/plans/${plan.id}/runs`)).body;
    await o.worker.call('GET', `/internal/runs/${started.id}/work`);
    const snapshots: Record<string, SnapshotRecord> = {};
    for (const repo of o.repos) {
      const content = contents[repo.fullName.split('/')[1] ?? ''];
      if (content === undefined || content === 'fail') {
        await o.worker.call('POST', `/internal/runs/${started.id}/repositories/${repo.id}/result`, { status: 'failed', error: 'upstream error' });
        continue;
      }
      const snapshot = await publishSnapshot(store, { tenantId: o.tenantId, organizationId: o.org.id, planId: plan.id, runId: started.id, repositoryId: repo.id, fullName: repo.fullName }, {
        bundle: content.bundle, metadata: content.issues ? { issues: content.issues } : undefined, createdAt: content.createdAt,
      });
      const answer = await o.worker.call('POST', `/internal/runs/${started.id}/repositories/${repo.id}/result`, { status: 'succeeded', snapshot });
      expect(answer.status).toBe(200);
      snapshots[repo.fullName.split('/')[1] ?? ''] = snapshot;
    }
    await stack.main.app.get(SnapshotRetention).idle();
    return snapshots;
  }

  const exists = (sha: string) => stat(objectPath(stack.storageDir, sha)).then(() => true, () => false);
  const manifestExists = (repositoryId: string, snapshotId: string) =>
    store.readManifest(repositoryId, snapshotId).then(() => true, (error: unknown) => {
      if (error instanceof ManifestNotFoundError) return false;
      throw error;
    });

  it('keeps the last N snapshots per repository and plan, removes manifests, then collects unreferenced files, never the last snapshot', async () => {
    const o = organization(['a', 'b']);
    const [a, b] = o.repos as [RepositoryRecord, RepositoryRecord];
    const plan = (await o.gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'keep two', organizationId: o.org.id, retention: { keepLast: 2 } })).body;
    const other = (await o.gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'other', organizationId: o.org.id, retention: { keepLast: 1 } })).body;
    const base = Date.now() - 60_000;
    const otherSnapshot = (await run(o, other, { a: { bundle: 'other plan bundle', createdAt: new Date(base - 1000) }, b: 'fail' })).a as SnapshotRecord;

    const shared = ['{"number":1,"title":"same in every snapshot"}'];
    const versions: SnapshotRecord[] = [];
    for (let i = 1; i <= 4; i++) {
      // before the last run every stored file is older than the collector's grace period
      if (i === 4) await ageObjects(stack.storageDir);
      const made = await run(o, plan, { a: { bundle: `a v${i} ${plan.id}`, issues: shared, createdAt: new Date(base + i * 1000) }, b: { bundle: `b ${plan.id}`, createdAt: new Date(base + i * 1000) } });
      versions.push(made.a as SnapshotRecord);
    }
    const [v1, v2, v3, v4] = versions as [SnapshotRecord, SnapshotRecord, SnapshotRecord, SnapshotRecord];

    const listed = (await o.gateway.call<Page<SnapshotRecord>>('GET', `/internal/snapshots?repositoryId=${a.id}&planId=${plan.id}`)).body.items;
    expect(listed.map((s) => s.id)).toEqual([v4.id, v3.id]);
    expect(await manifestExists(a.id, v1.id)).toBe(false);
    expect(await manifestExists(a.id, v2.id)).toBe(false);
    expect(await manifestExists(a.id, v3.id)).toBe(true);
    // unreferenced files are gone; shared and still referenced ones stay
    expect(await exists(sha256(`a v1 ${plan.id}`))).toBe(false);
    expect(await exists(sha256(`a v2 ${plan.id}`))).toBe(false);
    expect(await exists(sha256(`a v3 ${plan.id}`))).toBe(true);
    expect(await exists(sha256(`a v4 ${plan.id}`))).toBe(true);
    expect(await exists(sha256(`${shared[0]}\n`))).toBe(true);
    // b's unchanged content is one file referenced by its kept snapshots
    expect(await exists(sha256(`b ${plan.id}`))).toBe(true);
    expect((await o.gateway.call<Page<SnapshotRecord>>('GET', `/internal/snapshots?repositoryId=${b.id}&planId=${plan.id}`)).body.items).toHaveLength(2);
    // another plan's snapshots of the same repository are not this plan's to prune
    expect((await o.gateway.call('GET', `/internal/snapshots/${otherSnapshot.id}`)).status).toBe(200);
    expect(await exists(sha256('other plan bundle'))).toBe(true);

    // keepLast 1 and a failed run: the repository keeps its newest snapshot, whatever happens
    await o.gateway.call('PATCH', `/internal/plans/${plan.id}`, { retention: { keepLast: 1 } });
    await run(o, plan, { a: 'fail', b: 'fail' });
    expect((await o.gateway.call<Page<SnapshotRecord>>('GET', `/internal/snapshots?repositoryId=${a.id}&planId=${plan.id}`)).body.items.map((s) => s.id)).toEqual([v4.id]);
    expect(await manifestExists(a.id, v4.id)).toBe(true);
    expect((await o.worker.call<SnapshotRecord>('GET', `/internal/repositories/${a.id}/latest-snapshot`)).body.id).toBe(v4.id);
    expect(await stack.main.app.get(SnapshotRetention).applyKeepLast(o.tenantId, plan.id, a.id, 1)).toEqual([]);
    expect((await o.gateway.call('PATCH', `/internal/plans/${plan.id}`, { retention: { keepLast: 0 } })).status).toBe(400);
  });

  describe('reading snapshots', () => {
    let o: Org;
    let plan: PlanRecord;
    let full: SnapshotRecord;
    let empty: SnapshotRecord;
    beforeAll(async () => {
      o = organization(['full', 'empty']);
      plan = (await o.gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'p', organizationId: o.org.id })).body;
      const made = await run(o, plan, { full: { bundle: `PACK bundle bytes ${randomUUID()}`, issues: ['{"number":1}', '{"number":2}'] }, empty: { issues: [] } });
      full = made.full as SnapshotRecord;
      empty = made.empty as SnapshotRecord;
    });

    it('lists newest first with filters and pages, and answers 404 to other tenants', async () => {
      const record = (await o.gateway.call<SnapshotRecord>('GET', `/internal/snapshots/${full.id}`)).body;
      expect(record).toMatchObject({ id: full.id, planId: plan.id, repositoryFullName: full.repositoryFullName, refs: full.refs, metadata: { issues: 2 }, sizeBytes: full.sizeBytes, files: full.files });
      const page1 = (await o.gateway.call<Page<SnapshotRecord>>('GET', `/internal/snapshots?planId=${plan.id}&limit=1`)).body;
      const page2 = (await o.gateway.call<Page<SnapshotRecord>>('GET', `/internal/snapshots?planId=${plan.id}&limit=1&cursor=${page1.nextCursor}`)).body;
      expect(new Set([...page1.items, ...page2.items].map((s) => s.id))).toEqual(new Set([full.id, empty.id]));
      expect(page2.nextCursor).toBeNull();
      const stranger = stack.as('api-gateway', randomUUID());
      expect((await stranger.call('GET', `/internal/snapshots/${full.id}`)).status).toBe(404);
      expect((await stranger.call('GET', `/internal/snapshots/${full.id}/bundle`)).status).toBe(404);
      expect((await stranger.call<Page<SnapshotRecord>>('GET', `/internal/snapshots?planId=${plan.id}`)).body.items).toEqual([]);
    });

    it('streams the verified bundle and metadata NDJSON', async () => {
      const bundle = await o.gateway.raw('GET', `/internal/snapshots/${full.id}/bundle`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toBe('application/octet-stream');
      const bundleFile = full.files.find((f) => f.kind === 'bundle');
      expect(bundle.headers.get('x-repovault-sha256')).toBe(bundleFile?.sha256);
      const bytes = Buffer.from(await bundle.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(bundleFile?.sha256);

      const issues = await o.gateway.raw('GET', `/internal/snapshots/${full.id}/metadata/issues`);
      expect(issues.status).toBe(200);
      expect(issues.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      expect(await issues.text()).toBe('{"number":1}\n{"number":2}\n');
    });

    it('answers 404 for a missing bundle or kind and 400 for an unknown kind', async () => {
      const noBundle = await o.gateway.call<{ detail: string }>('GET', `/internal/snapshots/${empty.id}/bundle`);
      expect(noBundle.status).toBe(404);
      expect(noBundle.body.detail).toMatch(/no git bundle/);
      expect((await o.gateway.call('GET', `/internal/snapshots/${full.id}/metadata/labels`)).status).toBe(404);
      const unknown = await o.gateway.call<{ errors: { field: string }[] }>('GET', `/internal/snapshots/${full.id}/metadata/wikis`);
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]?.field).toBe('kind');
      expect((await o.gateway.call('GET', `/internal/snapshots/${randomUUID()}/bundle`)).status).toBe(404);
    });

    it('cuts the stream instead of completing it when the stored bytes are corrupt', async () => {
      const o2 = organization(['x']);
      const plan2 = (await o2.gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'p', organizationId: o2.org.id })).body;
      const content = `bundle to corrupt ${randomUUID()} `.repeat(50_000);
      const snapshot = (await run(o2, plan2, { x: { bundle: content } })).x as SnapshotRecord;
      const path = objectPath(stack.storageDir, sha256(content));
      await chmod(path, 0o644);
      await writeFile(path, content.replace('bundle', 'BUNDLE'));
      const response = await o2.gateway.raw('GET', `/internal/snapshots/${snapshot.id}/bundle`);
      expect(response.status).toBe(200);
      await expect(response.arrayBuffer()).rejects.toThrow();
    });
  });
});
