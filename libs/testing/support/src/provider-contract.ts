import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { MetadataCounts, MetadataKind, MetadataSink, ProviderFetch, ReleaseAssetRef } from '@repovault/providers/core';

/** What provider adapters' tests share: a recording transport, an in-memory sink, and checks against the providers' OpenAPI descriptions. */

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

export interface StoredAsset {
  ref: ReleaseAssetRef;
  sha256: string;
  bytes: number;
}

/** Keeps records per kind and hashes asset bytes (a test sink: production sinks stream to storage). */
export class MemorySink implements MetadataSink {
  readonly records = new Map<MetadataKind, Array<Record<string, unknown>>>();
  /** by asset id */
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

/** `<repo>/../shared/specs/<file>`: the providers' descriptions, kept outside the repository. */
export function sharedSpecPath(file: string): string {
  let dir = resolve(__dirname);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'specs', file);
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
  components?: { parameters?: Record<string, OpenApiParameter> };
}

export function loadSpec(file: string): OpenApi | undefined {
  const path = sharedSpecPath(file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as OpenApi) : undefined;
}

export function skippedBanner(file: string, what: string): void {
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nSKIPPED: ${sharedSpecPath(file)} is missing.\n${what} is UNVERIFIED against the official description.\n${bar}\n`);
}

/** The documented template a concrete path belongs to: the match with the most literal segments. */
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

/**
 * Why a request is not in the description (unknown path, method or query parameter), or null when it
 * is. `global(template)` names the query parameters the description documents for every endpoint
 * of a kind outside the operation (Bitbucket Cloud's pagination and filtering chapters).
 */
export function undocumented(spec: OpenApi, method: string, path: string, queryNames: string[], global: (template: string) => string[] = () => []): string | null {
  const template = templateOf(spec, path);
  if (!template) return `${method} ${path}: no such path`;
  const item = spec.paths[template] ?? {};
  const operation = item[method.toLowerCase()] as OpenApiOperation | undefined;
  if (!operation || Array.isArray(operation)) return `${method} ${template}: no such method`;
  const declared = [...((item['parameters'] as OpenApiParameter[] | undefined) ?? []), ...(operation.parameters ?? [])]
    .map((p) => (p.$ref ? spec.components?.parameters?.[p.$ref.split('/').pop() ?? ''] : p))
    .filter((p): p is OpenApiParameter => p?.in === 'query')
    .map((p) => p.name);
  const allowed = new Set([...declared, ...global(template)]);
  const unknown = [...new Set(queryNames)].filter((q) => !allowed.has(q));
  return unknown.length > 0 ? `${method} ${template}: undocumented query parameters ${unknown.join(', ')}` : null;
}
