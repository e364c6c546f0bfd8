import type { RepoVaultClient, Schemas } from '@repovault/contracts/public-api';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SnapshotView = Schemas['SnapshotView'];
export type RunView = Schemas['RunView'];

const FINISHED = ['succeeded', 'partially-failed', 'failed', 'cancelled'];

/** Starts the plan now and waits until the run has finished. */
export async function runPlan(client: RepoVaultClient, planId: string, timeoutMs = 180_000): Promise<RunView> {
  const started = await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
  if (!started.data) throw new Error(`run not started: ${JSON.stringify(started.error)}`);
  return waitForRun(client, started.data.id, timeoutMs);
}

export async function waitForRun(client: RepoVaultClient, runId: string, timeoutMs = 180_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { data } = await client.GET('/v1/runs/{id}', { params: { path: { id: runId } } });
    if (data && FINISHED.includes(data.status)) return data;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish: ${JSON.stringify(data)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function defaultPlanOf(client: RepoVaultClient, organizationId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const { data } = await client.GET('/v1/organizations/{id}', { params: { path: { id: organizationId } } });
    if (data?.defaultPlanId) return data.defaultPlanId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no default plan');
}

/** Every snapshot of a plan, by repository full name. */
export async function snapshotsOf(client: RepoVaultClient, planId: string, runId?: string): Promise<Map<string, SnapshotView>> {
  const out = new Map<string, SnapshotView>();
  let cursor: string | undefined;
  do {
    const { data } = await client.GET('/v1/snapshots', { params: { query: { planId, limit: 200, cursor } } });
    for (const item of data?.items ?? []) {
      if (runId && item.runId !== runId) continue;
      if (!out.has(item.repositoryFullName)) out.set(item.repositoryFullName, item);
    }
    cursor = data?.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** Downloads a snapshot's bundle through the public API and lists the refs a clone of it gets. */
export async function refsOfBundle(gatewayUrl: string, apiKey: string, snapshotId: string, path = 'bundle'): Promise<Record<string, string>> {
  const response = await fetch(`${gatewayUrl}/v1/snapshots/${snapshotId}/${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200) throw new Error(`bundle ${snapshotId}: ${response.status}`);
  const dir = mkdtempSync(join(tmpdir(), 'rv-bundle-'));
  try {
    const file = join(dir, 'snapshot.bundle');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    execFileSync('git', ['clone', '--quiet', '--mirror', file, join(dir, 'clone.git')], { stdio: 'pipe' });
    const out = execFileSync('git', ['--git-dir', join(dir, 'clone.git'), 'for-each-ref', '--format=%(refname) %(objectname)'], { encoding: 'utf8' });
    return Object.fromEntries(out.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hasCommit(bundleDir: string, sha: string): boolean {
  try {
    execFileSync('git', ['--git-dir', bundleDir, 'cat-file', '-e', `${sha}^{commit}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
