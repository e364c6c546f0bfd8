import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BrowserFlowResult, GitHubAppInstallationRecord, GitHubAppRecord, StartedGitHubAppInstallation } from '@repovault/contracts/internal-api';
import { ProblemException, UuidParam } from '@repovault/platform/http';
import type { Response } from 'express';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal, Readers, StateAuthenticated } from '../auth/roles';
import { sendBrowserFlowPage } from '../browser-flows/browser-flow-page';
import { queryText } from '../browser-flows/query-text';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { GitHubAppInstallationView, GitHubAppList, StartGitHubAppInstallationRequest, StartedGitHubAppInstallationView } from './github-apps.dto';

function toView(record: GitHubAppInstallationRecord): GitHubAppInstallationView {
  return {
    id: record.id, appSlot: record.appSlot, organizationId: record.organizationId, status: record.status, installationId: record.installationId,
    account: record.account, refusal: record.refusal, expiresAt: record.expiresAt, createdAt: record.createdAt, completedAt: record.completedAt,
  };
}

/**
 * The operator's GitHub Apps: the main app connects organizations (`auth: { method: "github-app",
 * installationId }`); apps #1–#10 add credentials for throttling prevention, within the seed's two
 * conditions.
 */
@ApiTags('github-apps')
@Controller('v1/github-apps')
export class GitHubAppsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Get()
  @ApiBearerAuth()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listGitHubApps', summary: 'The GitHub Apps the operator configured: main and additional #1–#10' })
  @ApiOkResponse({ type: GitHubAppList })
  @ApiErrors(401)
  async list(): Promise<GitHubAppList> {
    const apps = await this.upstream.credential.get<GitHubAppRecord[]>('/internal/github-apps', {});
    return { items: apps.map((a) => ({ slot: a.slot, appId: a.appId, slug: a.slug })) };
  }

  @Post('installations')
  @ApiBearerAuth()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'startGitHubAppInstallation', summary: "Start installing a GitHub App: answers the app's installation URL with a state" })
  @ApiCreatedResponse({ type: StartedGitHubAppInstallationView })
  @ApiErrors(400, 401, 403, 404, 422)
  async start(@Principal() p: ApiPrincipal, @Body() body: StartGitHubAppInstallationRequest): Promise<StartedGitHubAppInstallationView> {
    const started = await this.upstream.credential.post<StartedGitHubAppInstallation>('/internal/github-apps/installations', { tenantId: p.tenantId, body, timeoutMs: 60_000 });
    return { ...toView(started), installUrl: started.installUrl };
  }

  @Get('installations/:id')
  @ApiBearerAuth()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'getGitHubAppInstallation', summary: 'An installation flow: pending, installed (with the installation id), refused (with the condition) or used' })
  @ApiOkResponse({ type: GitHubAppInstallationView })
  @ApiErrors(400, 401, 403, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<GitHubAppInstallationView> {
    return toView(await this.upstream.credential.get<GitHubAppInstallationRecord>(`/internal/github-apps/installations/${id}`, { tenantId: p.tenantId }));
  }

  /** GitHub's setup URL: authenticated by its single-use state, answered as a page for the person. */
  @Get('callback')
  @StateAuthenticated()
  @ApiExcludeEndpoint()
  async callback(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const state = queryText(query, 'state', 500);
    if (!state) {
      sendBrowserFlowPage(res, { ok: false, id: null, title: 'Installation refused', detail: 'GitHub sent no state back; start the installation again from RepoVault.' });
      return;
    }
    const installation = queryText(query, 'installation_id', 20);
    let result: BrowserFlowResult;
    try {
      result = await this.upstream.credential.post<BrowserFlowResult>('/internal/github-apps/callback', {
        body: { state, installationId: installation && /^\d+$/.test(installation) ? Number(installation) : undefined, setupAction: queryText(query, 'setup_action', 40) },
        timeoutMs: 120_000,
      });
    } catch (error) {
      if (!(error instanceof ProblemException) || error.problem.status >= 500) throw error;
      result = { ok: false, id: null, title: 'Installation refused', detail: error.problem.detail };
    }
    sendBrowserFlowPage(res, result);
  }
}
