import { type GitRunner, LfsClient, type LfsObjectRef } from '@repovault/platform/git';
import type { ManifestFile, SnapshotStore } from '@repovault/platform/storage';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EgressRoute } from '../egress/egress-proxy';

const REFSPECS_PER_PUSH = 200;

export interface RefPush {
  /** the snapshot's bundle (repository or wiki) */
  bundle: ManifestFile;
  /** the target's remote, through the egress proxy (no credentials in it) */
  remoteUrl: string;
  /** target ref → object id it must point at */
  desired: Readonly<Record<string, string>>;
  /** target refs the restore must leave alone (the provider's own, e.g. refs/pull/) */
  untouchable: (ref: string) => boolean;
  /** refs upstream that `desired` lacks are deleted (mirror semantics) */
  deleteExtras: boolean;
  signal?: AbortSignal;
}

export interface RefPushResult {
  /** refs created or moved by this push */
  updated: number;
  /** refs that already pointed where the snapshot says (an earlier attempt pushed them) */
  unchanged: number;
  deleted: number;
  /** the target's refs afterwards */
  remote: Record<string, string>;
}

/**
 * Git of a restore: the snapshot's bundle is unpacked into a scratch bare repository and only the
 * refs that differ upstream are pushed (by object id, forced), so a restore started again pushes
 * nothing it already pushed. Git talks to the egress proxy, which adds the credential per request:
 * no secret is ever in a URL, `.git/config`, an argument or the environment.
 */
export class GitRestore {
  constructor(private readonly git: GitRunner, private readonly store: SnapshotStore, private readonly workRoot: string) {}

  async pushRefs(push: RefPush): Promise<RefPushResult> {
    const dir = await mkdtemp(join(this.workRoot, 'restore-'));
    try {
      const bundlePath = join(dir, 'snapshot.bundle');
      await pipeline(await this.store.openVerified(push.bundle.sha256), createWriteStream(bundlePath));
      const repo = join(dir, 'repo.git');
      await this.git.run(['clone', '--quiet', '--mirror', bundlePath, repo], { signal: push.signal });
      const before = await this.remoteRefs(push.remoteUrl, push.signal);
      const specs: string[] = [];
      let unchanged = 0;
      for (const [ref, sha] of Object.entries(push.desired)) {
        if (before[ref] === sha) unchanged++;
        else specs.push(`+${sha}:${ref}`);
      }
      const extras = push.deleteExtras ? Object.keys(before).filter((ref) => !(ref in push.desired) && !push.untouchable(ref)) : [];
      for (const ref of extras) specs.push(`:${ref}`);
      for (let i = 0; i < specs.length; i += REFSPECS_PER_PUSH) {
        await this.git.run(['push', '--quiet', '--no-verify', push.remoteUrl, ...specs.slice(i, i + REFSPECS_PER_PUSH)], { gitDir: repo, signal: push.signal });
      }
      const remote = specs.length > 0 ? await this.remoteRefs(push.remoteUrl, push.signal) : before;
      return { updated: specs.length - extras.length, unchanged, deleted: extras.length, remote };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Deletes refs upstream (those that exist); returns how many were deleted. */
  async deleteRefs(remoteUrl: string, refs: readonly string[], signal?: AbortSignal): Promise<number> {
    if (refs.length === 0) return 0;
    const present = await this.remoteRefs(remoteUrl, signal);
    const specs = refs.filter((ref) => ref in present).map((ref) => `:${ref}`);
    const dir = await mkdtemp(join(this.workRoot, 'restore-delete-'));
    try {
      await this.git.run(['init', '--quiet', '--bare', join(dir, 'empty.git')], { signal });
      for (let i = 0; i < specs.length; i += REFSPECS_PER_PUSH) {
        await this.git.run(['push', '--quiet', '--no-verify', remoteUrl, ...specs.slice(i, i + REFSPECS_PER_PUSH)], { gitDir: join(dir, 'empty.git'), signal });
      }
      return specs.length;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async remoteRefs(remoteUrl: string, signal?: AbortSignal): Promise<Record<string, string>> {
    const out = await this.git.text(['ls-remote', remoteUrl], { signal });
    const refs: Record<string, string> = {};
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split('\t');
      if (sha && ref && ref !== 'HEAD' && !ref.endsWith('^{}')) refs[ref] = sha;
    }
    return refs;
  }

  /** Uploads the snapshot's LFS objects through the LFS batch API (objects the server has are skipped). */
  async uploadLfs(route: EgressRoute, remoteUrl: string, objects: readonly LfsObjectRef[], signal?: AbortSignal) {
    const client = new LfsClient({ fetch: route.fetch, concurrency: 4 });
    return client.upload({
      remoteUrl,
      objects,
      signal,
      open: async (oid) => (await this.store.openVerified(oid)) as Readable,
    });
  }
}
