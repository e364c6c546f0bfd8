import { Inject, Injectable } from '@nestjs/common';
import type { GitHubAppRecord, GitHubAppSlotRef } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { GitHubAppClient } from '@repovault/providers/github';
import { type GitHubAppSettings, renewalTime, slotName } from '@repovault/providers/oauth';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { ProviderRegistry } from '../providers/provider-registry';

/** Slots as stored: 0 is the main app, 1–10 the additional ones. */
export function slotNumber(slot: GitHubAppSlotRef): number {
  return slot === 'main' ? 0 : slot;
}

export function slotRef(stored: number): GitHubAppSlotRef {
  return stored === 0 ? 'main' : stored;
}

/** The operator's GitHub Apps (REPOVAULT_GITHUB_APPS), one @octokit/app client each, calls through the egress rules. */
@Injectable()
export class GitHubAppRegistry {
  private readonly clients = new Map<number, GitHubAppClient>();

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) private readonly config: CredentialServiceConfig, private readonly providers: ProviderRegistry) {}

  list(): GitHubAppRecord[] {
    const apps = this.config.REPOVAULT_GITHUB_APPS;
    if (!apps) return [];
    const all = [apps.main, ...[...apps.additional.values()].sort((a, b) => Number(a.slot) - Number(b.slot))].filter((a): a is GitHubAppSettings => a !== null);
    return all.map((a) => ({ slot: a.slot, appId: a.appId, slug: a.slug, apiBaseUrl: a.apiBaseUrl }));
  }

  settings(slot: number): GitHubAppSettings {
    const apps = this.config.REPOVAULT_GITHUB_APPS;
    const found = slot === 0 ? apps?.main : apps?.additional.get(slot);
    if (!found) {
      throw ProblemException.unprocessable('github-app-not-configured', `${capitalized(slotName(slotRef(slot)))} is not configured by the operator (REPOVAULT_GITHUB_APPS); see GET /v1/github-apps.`);
    }
    return found;
  }

  client(slot: number): GitHubAppClient {
    let client = this.clients.get(slot);
    if (!client) {
      const app = this.settings(slot);
      client = new GitHubAppClient({
        appId: app.appId,
        privateKey: app.privateKey,
        apiBaseUrl: app.apiBaseUrl,
        fetch: this.providers.egress,
        renewAt: (issuedAt, expiresAt) => renewalTime(issuedAt, expiresAt) ?? expiresAt,
      });
      this.clients.set(slot, client);
    }
    return client;
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
