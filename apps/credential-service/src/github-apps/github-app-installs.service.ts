import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  BrowserFlowResult, GitHubAppInstallationRecord, GitHubAppRefusal, OrganizationTarget, StartedGitHubAppInstallation,
} from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { UpstreamNotFoundError } from '@repovault/providers/core';
import type { GitHubAppInstallation } from '@repovault/providers/github';
import { slotName } from '@repovault/providers/oauth';
import { randomUUID } from 'node:crypto';
import { type EntityManager, In, IsNull, Not, type Repository } from 'typeorm';
import { STATE_TTL_MS, newBrowserState, parseBrowserState } from '../browser-flows/browser-state';
import { STATE_REFUSALS, consumeState } from '../browser-flows/state-consumption';
import { CredentialEntity } from '../credentials/credential.entity';
import { OrganizationDirectory } from '../organizations/organization-directory';
import { type MainRegistration, condition1, condition2 } from './github-app-conditions';
import { GitHubAppInstallEntity } from './github-app-install.entity';
import { toGitHubAppInstallationRecord } from './github-app-install-record';
import { GitHubAppRegistry, slotNumber, slotRef } from './github-app-registry';
import type { StartInstallationBody } from './github-apps.dto';

const TABLE = '"credential"."github_app_installs"';

/**
 * Installing the operator's GitHub Apps: an authenticated call answers the app's installation URL
 * with a single-use, tenant-bound, 10-minute state; GitHub sends the browser back to
 * `GET /v1/github-apps/callback`, where the installation is checked against the seed's two
 * conditions (each refusal names its condition) before a credential may be made from it.
 */
@Injectable()
export class GitHubAppInstallsService {
  private readonly logger = new Logger('GitHubAppInstalls');

  constructor(
    @InjectRepository(GitHubAppInstallEntity) private readonly installs: Repository<GitHubAppInstallEntity>,
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
    private readonly registry: GitHubAppRegistry,
    private readonly organizations: OrganizationDirectory,
  ) {}

  async start(tenantId: string, body: StartInstallationBody): Promise<StartedGitHubAppInstallation> {
    const slot = slotNumber(body.appSlot);
    const app = this.registry.settings(slot);
    if (slot !== 0 && !body.organizationId) {
      throw ProblemException.badRequest('organizationId is required for an additional GitHub App: it adds a credential to that organization.', [{ field: 'organizationId', message: 'required for appSlot 1–10' }]);
    }
    if (slot === 0 && body.organizationId) {
      throw ProblemException.badRequest('The main GitHub App registers a new organization: leave organizationId out and connect the organization with the installation afterwards.', [{ field: 'organizationId', message: 'not allowed for the main app' }]);
    }
    if (body.organizationId) {
      const organization = await this.organizations.target(tenantId, body.organizationId);
      if (organization.provider !== 'github' || organization.apiBaseUrl !== app.apiBaseUrl) {
        throw ProblemException.unprocessable('github-app-host-mismatch', `${slotName(slotRef(slot))} belongs to ${app.apiBaseUrl}; the organization "${organization.name}" is not on that GitHub.`);
      }
    }
    const id = randomUUID();
    const { state, hash } = newBrowserState(id);
    const installUrl = await this.upstream(() => this.registry.client(slot).installationUrl(state));
    const entity = await this.installs.save(this.installs.create({
      id, tenantId, appSlot: slot, appId: app.appId, apiBaseUrl: app.apiBaseUrl, organizationId: body.organizationId ?? null, stateHash: hash, stateUsedAt: null, expiresAt: new Date(Date.now() + STATE_TTL_MS),
      status: 'pending', installationId: null, accountId: null, accountLogin: null, accountType: null,
      refusalCondition: null, refusalCode: null, refusalDetail: null, completedAt: null, credentialId: null,
    }));
    return { ...toGitHubAppInstallationRecord(entity), installUrl };
  }

  async get(tenantId: string, id: string): Promise<GitHubAppInstallationRecord> {
    const entity = await this.installs.findOneBy({ id, tenantId });
    if (!entity) throw ProblemException.notFound('GitHub App installation');
    return toGitHubAppInstallationRecord(entity);
  }

  /** GitHub sent the browser back (setup URL): the state is used up whatever happens next. */
  async callback(body: { state: string; installationId?: number; setupAction?: string }): Promise<BrowserFlowResult> {
    const parsed = parseBrowserState(body.state);
    if (!parsed) return refusedPage(null, STATE_REFUSALS.unknown);
    const consumed = await consumeState(this.installs.manager, TABLE, parsed.flowId, parsed.hash);
    if (!consumed.ok) return refusedPage(null, STATE_REFUSALS[consumed.reason]);
    const entity = await this.installs.findOneByOrFail({ id: parsed.flowId });
    const app = slotName(slotRef(entity.appSlot));
    try {
      const one = condition1(body.setupAction, null);
      if (one) return await this.refuse(entity, one);
      if (!body.installationId) {
        return await this.refuse(entity, { condition: null, code: 'no-installation', detail: `GitHub did not say which installation of ${app} was made; install it again.` });
      }
      const installation = await this.describe(entity.appSlot, body.installationId);
      if (!installation) {
        return await this.refuse(entity, { condition: null, code: 'unknown-installation', detail: `Installation ${body.installationId} is not an installation of ${app}; install it again.` });
      }
      const elsewhere = await this.installs.existsBy({
        installationId: installation.id, appId: entity.appId ?? 0, apiBaseUrl: entity.apiBaseUrl ?? '', tenantId: Not(entity.tenantId), status: In(['installed', 'used']),
      });
      if (elsewhere) {
        return await this.refuse(entity, { condition: null, code: 'installation-registered-elsewhere', detail: `This installation of ${app} is already registered in RepoVault by someone else.` });
      }
      if (entity.organizationId) {
        const organization = await this.organizations.target(entity.tenantId, entity.organizationId);
        const two = condition2(await this.mainRegistration(entity.tenantId, entity.organizationId), installation.account, organization.name);
        if (two) return await this.refuse(entity, two, installation);
      }
      await this.installs.update({ id: entity.id }, { status: 'installed', completedAt: new Date(), ...accountColumns(installation) });
      return {
        ok: true,
        id: entity.id,
        title: `${capitalized(app)} installed`,
        detail: entity.organizationId
          ? `${capitalized(app)} was installed on "${installation.account.login}" (installation ${installation.id}). Return to RepoVault and add it to the organization's credentials.`
          : `${capitalized(app)} was installed on "${installation.account.login}" (installation ${installation.id}). Return to RepoVault and connect the organization with this installation.`,
      };
    } catch (error) {
      const detail = error instanceof ProblemException ? error.problem.detail : 'the installation could not be checked; try again';
      if (!(error instanceof ProblemException)) this.logger.error({ err: error }, 'GitHub App callback failed');
      return this.refuse(entity, { condition: null, code: 'installation-check-failed', detail });
    }
  }

  /**
   * A credential is made from an installation only when this tenant installed it through RepoVault
   * and nothing refused it; both conditions are checked again, as things may have changed since.
   */
  async takeOver(manager: EntityManager, tenantId: string, organization: OrganizationTarget, slot: number, installationId: number, credentialId: string): Promise<GitHubAppInstallation> {
    const app = slotName(slotRef(slot));
    const repository = manager.getRepository(GitHubAppInstallEntity);
    const settings = this.registry.settings(slot);
    const flows = await repository.find({
      where: { tenantId, appSlot: slot, appId: settings.appId, apiBaseUrl: settings.apiBaseUrl, installationId }, order: { createdAt: 'DESC' }, lock: { mode: 'pessimistic_write' },
    });
    const installed = flows.find((f) => f.status === 'installed' && (slot === 0 || f.organizationId === organization.id));
    if (!installed) {
      const refusedFlow = flows.find((f) => f.status === 'refused' && f.refusalCode);
      if (refusedFlow) throw refusal({ condition: refusedFlow.refusalCondition === 1 || refusedFlow.refusalCondition === 2 ? refusedFlow.refusalCondition : null, code: refusedFlow.refusalCode ?? 'refused', detail: refusedFlow.refusalDetail ?? '' });
      if (flows.some((f) => f.status === 'used')) throw ProblemException.unprocessable('installation-used', `Installation ${installationId} of ${app} is already in use by a credential.`);
      throw ProblemException.unprocessable(
        'installation-not-registered',
        `Installation ${installationId} of ${app} was not made through RepoVault for this ${slot === 0 ? 'tenant' : 'organization'}: start with POST /v1/github-apps/installations and finish on GitHub's installation page.`,
      );
    }
    const installation = await this.describe(slot, installationId);
    if (!installation) throw ProblemException.unprocessable('unknown-installation', `Installation ${installationId} of ${app} no longer exists on GitHub; install the app again.`);
    if (installation.suspendedAt) throw ProblemException.unprocessable('installation-suspended', `Installation ${installationId} of ${app} is suspended on GitHub; unsuspend it and try again.`);
    if (slot !== 0) {
      const two = condition2(await this.mainRegistration(tenantId, organization.id), installation.account, organization.name);
      if (two) throw refusal(two);
    } else if (installation.account.login.toLowerCase() !== organization.name.toLowerCase()) {
      throw ProblemException.unprocessable(
        'installation-account-mismatch',
        `The main GitHub App installation ${installationId} is on the account "${installation.account.login}", not on the organization "${organization.name}": install it on "${organization.name}".`,
      );
    }
    await repository.update({ id: installed.id }, { status: 'used', credentialId, ...accountColumns(installation) });
    return installation;
  }

  /** The installation behind a GitHub App credential. */
  async installationOf(credentialId: string): Promise<{ slot: number; installationId: number }> {
    const flow = await this.installs.findOneBy({ credentialId, installationId: Not(IsNull()) });
    if (!flow?.installationId) throw ProblemException.notFound('GitHub App installation of the credential');
    return { slot: flow.appSlot, installationId: flow.installationId };
  }

  /** How the organization's main credential was registered (condition 2 depends on it). */
  async mainRegistration(tenantId: string, organizationId: string): Promise<MainRegistration> {
    const main = await this.credentials.findOneBy({ tenantId, organizationId, role: 'main', removedAt: IsNull() });
    if (!main) throw ProblemException.unprocessable('no-main-credential', 'The organization has no main credential: connect it first.');
    if (main.method !== 'github-app') return { method: main.method };
    const flow = await this.installs.findOneBy({ credentialId: main.id });
    if (flow?.accountId === null || flow?.accountId === undefined) throw ProblemException.unprocessable('main-installation-unknown', 'The installation behind the main GitHub App credential is unknown.');
    return { method: 'github-app', account: { id: flow.accountId, login: flow.accountLogin ?? '' } };
  }

  private async describe(slot: number, installationId: number): Promise<GitHubAppInstallation | null> {
    const client = this.registry.client(slot);
    try {
      const installation = await this.upstream(() => client.installation(installationId));
      return installation.appId === client.appId ? installation : null;
    } catch (error) {
      if (error instanceof ProblemException && error.problem.status === 404) return null;
      throw error;
    }
  }

  private async refuse(entity: GitHubAppInstallEntity, reason: GitHubAppRefusal, installation?: GitHubAppInstallation): Promise<BrowserFlowResult> {
    await this.installs.update({ id: entity.id }, {
      status: 'refused', completedAt: new Date(), refusalCondition: reason.condition, refusalCode: reason.code, refusalDetail: reason.detail,
      ...(installation ? accountColumns(installation) : {}),
    });
    return refusedPage(entity.id, reason.detail);
  }

  private async upstream<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) throw new ProblemException(404, 'not-found', error.message);
      if (error instanceof Error && error.name === 'EgressBlockedError') throw ProblemException.unprocessable('base-url-not-allowed', `GitHub is not reachable under the egress rules: ${error.message}`);
      if (error instanceof Error && /^(CredentialRejectedError|UpstreamUnavailableError|UpstreamRateLimitedError|RequestError)$/.test(error.name)) {
        throw ProblemException.unavailable('github-app-unavailable', `GitHub did not accept the app's request (${error.message}); check the app id and private key in REPOVAULT_GITHUB_APPS.`);
      }
      throw error;
    }
  }
}

function accountColumns(installation: GitHubAppInstallation): Partial<GitHubAppInstallEntity> {
  return { installationId: installation.id, accountId: installation.account.id, accountLogin: installation.account.login, accountType: installation.account.type };
}

function refusal(reason: GitHubAppRefusal): ProblemException {
  return ProblemException.unprocessable(reason.code, reason.detail, reason.condition ? { condition: reason.condition } : {});
}

function refusedPage(id: string | null, detail: string): BrowserFlowResult {
  return { ok: false, id, title: 'Installation refused', detail };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
