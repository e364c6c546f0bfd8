import { METADATA_KINDS, type MetadataCounts } from '@repovault/providers/core';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { GITLAB_EXPORT_FIELDS, gitlabResourceOf, projectQuietSince } from '../src';
import { MemorySink, adapterFor, adapterTestSeed, requestsOutsideContract, sentRequests } from './gitlab-test-support';

describe('GitLabAdapter.exportMetadata against the simulator', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ seed: adapterTestSeed() });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  /** The simulator's counts under the export's kind names (GitLab's mapping). */
  function expected(owner: string, name: string): Required<MetadataCounts> {
    const counts = sim.repository(owner, name).gitlab?.counts;
    if (!counts) throw new Error(`${owner}/${name} is no GitLab project`);
    return {
      issues: counts.issues,
      'pull-requests': counts.mergeRequests,
      'issue-comments': counts.issueNotes,
      'review-comments': counts.mergeRequestNotes,
      reviews: 0,
      releases: counts.releases,
      'release-assets': counts.releaseLinks,
      labels: counts.labels,
      milestones: counts.milestones,
    };
  }

  it('exports every kind with the counts the simulator holds, downloading the bytes of GitLab uploads only, never through global fetch', async () => {
    const original = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new Error('the adapter must only use the transport fetch'));
    try {
      for (const [owner, name] of [['acme-group', 'web'], ['acme-group/platform', 'platform-0004']] as const) {
        const sink = new MemorySink();
        const counts = await adapterFor(sim, 'gl-carol').exportMetadata(`${owner}/${name}`, { kinds: METADATA_KINDS, assets: true }, sink);
        expect(counts).toEqual(expected(owner, name));
        expect(sink.counts()).toEqual(Object.fromEntries(Object.entries(expected(owner, name)).filter(([, n]) => n > 0)));
        const links = sink.of('release-assets');
        const uploads = links.filter((l) => l[GITLAB_EXPORT_FIELDS.upload] === true);
        expect(uploads).toHaveLength(sim.repository(owner, name).gitlab?.counts.uploadLinks ?? -1);
        expect(uploads.length).toBeGreaterThan(0);
        expect(uploads.length).toBeLessThan(links.length);
        expect(sink.assets.size).toBe(uploads.length);
        for (const upload of uploads) {
          expect(upload[GITLAB_EXPORT_FIELDS.sha256]).toMatch(/^[0-9a-f]{64}$/);
          expect(upload[GITLAB_EXPORT_FIELDS.bytes]).toBeGreaterThan(0);
          expect(typeof upload[GITLAB_EXPORT_FIELDS.releaseTag]).toBe('string');
        }
        expect(links.filter((l) => l[GITLAB_EXPORT_FIELDS.upload] === false).every((l) => l[GITLAB_EXPORT_FIELDS.sha256] === undefined)).toBe(true);
        expect(sink.of('issue-comments').every((n) => n['noteable_type'] === 'Issue')).toBe(true);
        expect(sink.of('review-comments').every((n) => n['noteable_type'] === 'MergeRequest')).toBe(true);
        expect(sink.of('review-comments').some((n) => n['type'] === 'DiffNote')).toBe(true);
        expect(sink.of('labels').every((l) => l['is_project_label'] === true)).toBe(true);
      }
    } finally {
      globalThis.fetch = original;
    }
  });

  it('exports only what changed with updatedSince (GitLab updated_after), notes of changed items included', async () => {
    const adapter = adapterFor(sim, 'gl-alice');
    const since = new Date(Date.now() - 1000).toISOString();
    const unchanged = await adapter.exportMetadata('acme-group/svc-0005', { kinds: METADATA_KINDS, assets: false, updatedSince: since }, new MemorySink());
    const full = expected('acme-group', 'svc-0005');
    expect(unchanged).toEqual({ ...full, issues: 0, 'pull-requests': 0, 'issue-comments': 0, 'review-comments': 0, milestones: 0 });

    const full1 = new MemorySink();
    await adapter.exportMetadata('acme-group/svc-0005', { kinds: ['issues'], assets: false }, full1);
    const iid = Number(full1.of('issues')[0]?.['iid']);
    sim.addIssueComment('acme-group', 'svc-0005', iid, 'changed after the last backup');
    const sink = new MemorySink();
    const changed = await adapter.exportMetadata('acme-group/svc-0005', { kinds: ['issues', 'issue-comments', 'pull-requests', 'review-comments'], assets: false, updatedSince: since }, sink);
    expect(changed).toMatchObject({ issues: 1, 'pull-requests': 0, 'review-comments': 0 });
    expect(sink.of('issues')[0]?.['iid']).toBe(iid);
    const notes = sink.of('issue-comments');
    expect(notes.length).toBe(Number(sink.of('issues')[0]?.['user_notes_count']));
    expect(notes[notes.length - 1]?.['body']).toBe('changed after the last backup');
    const query = sentRequests.filter((r) => r.url.includes('/issues?')).pop()?.url ?? '';
    expect(new URL(query).searchParams.get('updated_after')).toBe(since);
  });

  it('skips a project whose last_activity_at (from the listing) is over an hour older than updatedSince, and sees a note through it', async () => {
    const adapter = adapterFor(sim, 'gl-alice');
    // what the run's listing says (read past the adapter, so these requests are not recorded)
    const activityOf = async (path: string) => {
      const response = await fetch(`${sim.gitlab.baseUrl}/api/v4/projects/${encodeURIComponent(path)}`, { headers: { 'private-token': sim.tokens['gl-alice'] ?? '' } });
      return ((await response.json()) as { last_activity_at: string }).last_activity_at;
    };
    const listed = await activityOf('acme-group/svc-0006');
    const quietSince = new Date(Date.parse(listed) + 2 * 3_600_000).toISOString();
    const before = sentRequests.length;
    const quiet = await adapter.exportMetadata('acme-group/svc-0006', { kinds: METADATA_KINDS, assets: false, updatedSince: quietSince, repositoryActivityAt: listed }, new MemorySink());
    expect(sentRequests.length - before).toBe(0);
    expect(Object.values(quiet).every((n) => n === 0)).toBe(true);
    expect(projectQuietSince('2026-11-22T10:00:00Z', '2026-11-22T10:30:00Z')).toBe(false); // within GitLab's hour of granularity
    expect(projectQuietSince(null, '2026-11-22T10:30:00Z')).toBe(false);

    const full = new MemorySink();
    await adapter.exportMetadata('acme-group/svc-0006', { kinds: ['issues'], assets: false }, full);
    sim.addIssueComment('acme-group', 'svc-0006', Number(full.of('issues')[0]?.['iid']), 'a note that moves last_activity_at');
    const since = new Date(Date.now() - 60_000).toISOString();
    const activity = await activityOf('acme-group/svc-0006');
    expect(Date.parse(activity)).toBeGreaterThanOrEqual(Date.parse(since));
    const sink = new MemorySink();
    await adapter.exportMetadata('acme-group/svc-0006', { kinds: ['issues', 'issue-comments'], assets: false, updatedSince: since, repositoryActivityAt: activity }, sink);
    expect(sink.of('issue-comments').map((n) => n['body'])).toContain('a note that moves last_activity_at');
  });

  it('adds the labels and milestones of the project\'s groups for organizations that include groups', async () => {
    const summary = sim.repository('acme-group/platform', 'platform-0002').gitlab?.counts;
    const sink = new MemorySink();
    const counts = await adapterFor(sim, 'gl-alice', { includeGroupData: true }).exportMetadata('acme-group/platform/platform-0002', { kinds: ['labels', 'milestones'], assets: false }, sink);
    expect(summary?.groupLabels).toBeGreaterThan(0);
    expect(counts).toEqual({ labels: (summary?.labels ?? NaN) + (summary?.groupLabels ?? NaN), milestones: (summary?.milestones ?? NaN) + (summary?.groupMilestones ?? NaN) });
    expect(sink.of('labels').filter((l) => l['is_project_label'] === false)).toHaveLength(summary?.groupLabels ?? NaN);
  });

  it('exports a group\'s own labels and milestones apart from its projects', async () => {
    const sink = new MemorySink();
    expect(await adapterFor(sim, 'gl-bob').exportGroupMetadata('acme-group', { kinds: ['labels', 'milestones'], assets: false }, sink)).toEqual({ labels: 2, milestones: 1 });
    expect(await adapterFor(sim, 'gl-bob').exportGroupMetadata('acme-group/platform', { kinds: ['labels', 'milestones'], assets: false }, new MemorySink())).toEqual({ labels: 1, milestones: 1 });
    expect(sink.of('milestones')[0]).toHaveProperty('group_id');
  });

  it('draws from the budgets the catalog reports, within the hand-written contract', () => {
    expect(sentRequests.length).toBeGreaterThan(30);
    expect(requestsOutsideContract()).toEqual([]);
    const resources = new Set(sentRequests.map((r) => gitlabResourceOf(new URL(r.url).pathname)));
    expect([...resources]).toEqual(['api']);
  });
});
