import { ConfigValueError } from '@repovault/platform/config';
import { githubApiBaseUrl } from '@repovault/providers/github';
import { createPrivateKey } from 'node:crypto';
import { DocumentReader, readOperatorDocument } from './operator-document';

/** `main`, or one of the additional apps #1–#10 (throttling prevention only). */
export type GitHubAppSlot = 'main' | number;

export const ADDITIONAL_GITHUB_APP_SLOTS = 10;

export interface GitHubAppSettings {
  slot: GitHubAppSlot;
  appId: number;
  slug: string;
  /** PEM; from `privateKeyFile` (preferred) or `privateKey` */
  privateKey: string;
  /** GitHub's REST API for this app: api.github.com, or a GitHub Enterprise Server's `/api/v3` */
  apiBaseUrl: string;
}

export interface GitHubAppsConfig {
  main: GitHubAppSettings | null;
  /** by slot number 1–10 */
  additional: Map<number, GitHubAppSettings>;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,98}$/i;

function app(reader: DocumentReader, slot: GitHubAppSlot): GitHubAppSettings {
  reader.unknownKeys(['slot', 'appId', 'slug', 'privateKey', 'privateKeyFile', 'baseUrl', 'name']);
  const privateKey = reader.secret('privateKey');
  try {
    createPrivateKey(privateKey);
  } catch {
    // never echo the key: say where it came from
    throw new ConfigValueError(`${reader.path}: the private key is not a PEM private key (download it from the app's settings page)`);
  }
  const baseUrl = reader.optionalString('baseUrl');
  let apiBaseUrl: string;
  try {
    apiBaseUrl = githubApiBaseUrl(baseUrl ?? null);
  } catch {
    throw new ConfigValueError(`${reader.path}.baseUrl must be a URL (got "${baseUrl ?? ''}")`);
  }
  return { slot, appId: reader.integer('appId', 1, Number.MAX_SAFE_INTEGER), slug: reader.string('slug', SLUG, 'must be the app slug as in github.com/apps/<slug>'), privateKey, apiBaseUrl };
}

/**
 * REPOVAULT_GITHUB_APPS: the operator's GitHub Apps, the main one and additional ones #1–#10.
 *
 * ```yaml
 * main: { appId: 1001, slug: repovault-backup, privateKeyFile: main.pem }          # baseUrl: GHES API
 * additional:
 *   - { slot: 1, appId: 1002, slug: repovault-backup-1, privateKeyFile: app-1.pem }
 * ```
 */
export function parseGitHubAppsConfig(raw: string): GitHubAppsConfig {
  const doc = readOperatorDocument(raw);
  const root = DocumentReader.object(doc.value, 'REPOVAULT_GITHUB_APPS', doc.baseDir);
  root.unknownKeys(['main', 'additional']);
  const main = root.has('main') ? app(root.child('main'), 'main') : null;
  const additional = new Map<number, GitHubAppSettings>();
  root.list('additional').forEach((entry, index) => {
    const reader = DocumentReader.object(entry, `REPOVAULT_GITHUB_APPS.additional[${index}]`, doc.baseDir);
    const slot = reader.integer('slot', 1, ADDITIONAL_GITHUB_APP_SLOTS);
    if (additional.has(slot)) throw new ConfigValueError(`${reader.path}.slot ${slot} is given twice`);
    additional.set(slot, app(reader, slot));
  });
  if (!main && additional.size === 0) throw new ConfigValueError('REPOVAULT_GITHUB_APPS describes no app (give main and/or additional)');
  const ids = [main, ...additional.values()].filter((a): a is GitHubAppSettings => a !== null);
  const slugs = new Set(ids.map((a) => `${a.apiBaseUrl} ${a.slug.toLowerCase()}`));
  if (slugs.size !== ids.length) throw new ConfigValueError('REPOVAULT_GITHUB_APPS names one app (slug) in two slots');
  return { main, additional };
}

export function slotName(slot: GitHubAppSlot): string {
  return slot === 'main' ? 'the main GitHub App' : `additional GitHub App #${slot}`;
}
