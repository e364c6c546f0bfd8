import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { MetadataCounts, MetadataKind, MetadataSink, ProviderFetch, ReleaseAssetRef } from '@repovault/providers/core';
import type { MetadataCounts as SimMetadataCounts } from '@repovault/testing/provider-simulator';

/** One request as the adapter handed it to the transport seam. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  redirect: RequestInit['redirect'];
}

/** A fetch that records every request it passes on, and a shared timeline of requests and sink writes. */
export function recordingFetch(inner: ProviderFetch, timeline: string[] = []): { fetch: ProviderFetch; requests: RecordedRequest[]; timeline: string[] } {
  const requests: RecordedRequest[] = [];
  const fetch: ProviderFetch = (url, init = {}) => {
    requests.push({ method: (init.method ?? 'GET').toUpperCase(), url, headers: new Headers(init.headers), redirect: init.redirect });
    timeline.push(`request ${new URL(url).pathname}${new URL(url).search}`);
    return inner(url, init);
  };
  return { fetch, requests, timeline };
}

interface StoredAsset {
  ref: ReleaseAssetRef;
  sha256: string;
  bytes: number;
}

/** Keeps records per kind (a test sink: production sinks stream to storage). */
export class MemorySink implements MetadataSink {
  readonly records = new Map<MetadataKind, Array<Record<string, unknown>>>();
  readonly assets = new Map<string, StoredAsset>();

  constructor(private readonly timeline: string[] = [], private readonly onRecord?: (kind: MetadataKind) => void) {}

  record(kind: MetadataKind, record: unknown): Promise<void> {
    const list = this.records.get(kind) ?? [];
    list.push(record as Record<string, unknown>);
    this.records.set(kind, list);
    this.timeline.push(`record ${kind}`);
    this.onRecord?.(kind);
    return Promise.resolve();
  }

  async asset(ref: ReleaseAssetRef, body: Readable): Promise<{ sha256: string; bytes: number }> {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      bytes += buffer.length;
    }
    const stored = { ref, sha256: hash.digest('hex'), bytes };
    this.assets.set(ref.id, stored);
    return { sha256: stored.sha256, bytes };
  }

  counts(): MetadataCounts {
    return Object.fromEntries([...this.records].map(([kind, list]) => [kind, list.length])) as MetadataCounts;
  }

  of(kind: MetadataKind): Array<Record<string, unknown>> {
    return this.records.get(kind) ?? [];
  }
}

/** The simulator's counts under the exporter's kind names. */
export function expectedCounts(c: SimMetadataCounts): Required<MetadataCounts> {
  return {
    issues: c.issues,
    'pull-requests': c.pulls,
    'issue-comments': c.issueComments,
    'review-comments': c.reviewComments,
    reviews: c.reviews,
    releases: c.releases,
    'release-assets': c.releaseAssets,
    labels: c.labels,
    milestones: c.milestones,
  };
}

/** `<repo>/../shared/specs/github-api.github.com.json`: GitHub's REST description, kept outside the repository. */
export function githubSpecPath(): string {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'specs', 'github-api.github.com.json');
}

interface OpenApiParameter {
  name?: string;
  in?: string;
  $ref?: string;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
}
export interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation | OpenApiParameter[]>>;
  components: { parameters: Record<string, OpenApiParameter> };
}

/** The documented template a concrete API path belongs to: the match with the most literal segments. */
export function templateOf(spec: OpenApi, path: string): string | null {
  let best: { template: string; literals: number } | null = null;
  for (const template of Object.keys(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const literals = template.split('/').filter((s) => s && !s.startsWith('{')).length;
    if (!best || literals > best.literals) best = { template, literals };
  }
  return best?.template ?? null;
}

/** Why a request is not in GitHub's description (unknown path, method or query parameter), or null when it is. */
export function undocumented(spec: OpenApi, method: string, path: string, queryNames: string[]): string | null {
  const template = templateOf(spec, path);
  if (!template) return `${method} ${path}: no such path`;
  const item = spec.paths[template] ?? {};
  const operation = item[method.toLowerCase()] as OpenApiOperation | undefined;
  if (!operation || Array.isArray(operation)) return `${method} ${template}: no such method`;
  const declared = [...((item['parameters'] as OpenApiParameter[] | undefined) ?? []), ...(operation.parameters ?? [])]
    .map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop() ?? ''] : p))
    .filter((p): p is OpenApiParameter => p?.in === 'query')
    .map((p) => p.name);
  const unknown = queryNames.filter((q) => !declared.includes(q));
  return unknown.length > 0 ? `${method} ${template}: undocumented query parameters ${unknown.join(', ')}` : null;
}
