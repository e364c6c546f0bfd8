import {
  type MetadataRestoreContext, remapCrossReferences, RestoreSteps,
} from '@repovault/providers/core';
import type { GitLabRecord } from '../gitlab-metadata-export';
import { type GitLabRestoreApi, isGitLabWriteRefusal } from './gitlab-restore-api';

export const str = (record: GitLabRecord, field: string): string | null => (typeof record[field] === 'string' ? (record[field] as string) : null);
export const num = (record: GitLabRecord, field: string): number | null => (typeof record[field] === 'number' ? (record[field] as number) : null);
export const obj = (record: GitLabRecord, field: string): GitLabRecord => (typeof record[field] === 'object' && record[field] !== null && !Array.isArray(record[field]) ? (record[field] as GitLabRecord) : {});
export const username = (record: GitLabRecord, field: string): string | null => str(obj(record, field), 'username');

/** A merge request in the target, as far as notes need it. */
export interface TargetMergeRequest {
  iid: number;
  diffRefs: { base_sha: string; head_sha: string; start_sha: string } | null;
}

/**
 * What the parts of one GitLab metadata restore share: the API, the context, the ledger steps, and
 * the numbers learnt so far (source → target), which texts are remapped with.
 */
export class GitLabRestoreState {
  readonly steps: RestoreSteps;
  /** source milestone id → target milestone id */
  readonly milestones = new Map<string, string>();
  /** source issue iid → target issue iid */
  readonly issues = new Map<number, number>();
  /** source merge request iid → target merge request */
  readonly mergeRequests = new Map<number, TargetMergeRequest>();

  constructor(
    readonly api: GitLabRestoreApi,
    readonly context: MetadataRestoreContext,
  ) {
    this.steps = new RestoreSteps(context, isGitLabWriteRefusal);
  }

  get projectId(): string {
    return this.context.target.providerId;
  }

  get overwrite(): boolean {
    return this.context.mode === 'overwrite';
  }

  /** `#N` (issues) and `!N` (merge requests) rewritten to the target's numbers; unknown ones name the source project. */
  remap(text: string | null): string {
    return remapCrossReferences(text, {
      rules: [
        { sigil: '#', map: (n) => this.issues.get(n) ?? null },
        { sigil: '!', map: (n) => this.mergeRequests.get(n)?.iid ?? null },
      ],
      sourceFullName: this.context.source.fullName,
      targetFullName: this.context.target.fullName,
    });
  }

  /** The target's merge requests with their diff refs, read once when a diff note needs them. */
  private targetMergeRequests: Map<number, GitLabRecord> | null = null;

  async diffRefsOf(iid: number): Promise<TargetMergeRequest['diffRefs']> {
    const known = [...this.mergeRequests.values()].find((m) => m.iid === iid);
    if (known?.diffRefs) return known.diffRefs;
    this.targetMergeRequests ??= new Map((await this.api.noteables(this.projectId, 'merge_requests')).map((m) => [num(m, 'iid') ?? 0, m]));
    return diffRefsFrom(this.targetMergeRequests.get(iid) ?? {});
  }
}

export function diffRefsFrom(mergeRequest: GitLabRecord): TargetMergeRequest['diffRefs'] {
  const refs = obj(mergeRequest, 'diff_refs');
  const base = str(refs, 'base_sha');
  const head = str(refs, 'head_sha');
  const start = str(refs, 'start_sha');
  return base && head && start ? { base_sha: base, head_sha: head, start_sha: start } : null;
}
