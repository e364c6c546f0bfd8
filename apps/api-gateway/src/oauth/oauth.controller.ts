import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BrowserFlowResult, CreatedOAuthAuthorization, OAuthAuthorizationRecord } from '@repovault/contracts/internal-api';
import { ProblemException, UuidParam } from '@repovault/platform/http';
import type { Request, Response } from 'express';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal, StateAuthenticated } from '../auth/roles';
import { sendBrowserFlowPage } from '../browser-flows/browser-flow-page';
import { publicBaseUrl } from '../browser-flows/public-url';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { queryText } from '../browser-flows/query-text';
import { CreateOAuthAuthorizationRequest, CreatedOAuthAuthorizationView, OAuthAuthorizationView } from './oauth.dto';
import { toCreatedOAuthAuthorizationView, toOAuthAuthorizationView } from './oauth-views';

export const OAUTH_CALLBACK_PATH = '/v1/oauth/callback';

/**
 * Onboarding by OAuth ("Connect"): start an authorization, send the person to `authorizeUrl`, the
 * provider sends the browser back to the callback, then connect the organization with
 * `auth: { method: "oauth", authorizationId }`.
 */
@ApiTags('oauth')
@Controller('v1/oauth')
export class OAuthController {
  constructor(private readonly upstream: UpstreamClients, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Post('authorizations')
  @ApiBearerAuth()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'createOAuthAuthorization', summary: "Start an OAuth authorization: answers the provider's consent URL (state and PKCE included)" })
  @ApiCreatedResponse({ type: CreatedOAuthAuthorizationView })
  @ApiErrors(400, 401, 403, 422)
  async create(@Principal() p: ApiPrincipal, @Body() body: CreateOAuthAuthorizationRequest, @Req() request: Request): Promise<CreatedOAuthAuthorizationView> {
    const redirectUri = `${publicBaseUrl(this.config, request)}${OAUTH_CALLBACK_PATH}`;
    return toCreatedOAuthAuthorizationView(
      await this.upstream.credential.post<CreatedOAuthAuthorization>('/internal/oauth/authorizations', { tenantId: p.tenantId, body: { ...body, redirectUri }, timeoutMs: 60_000 }),
    );
  }

  @Get('authorizations/:id')
  @ApiBearerAuth()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'getOAuthAuthorization', summary: 'An OAuth authorization: pending, authorized (with the account), failed (with the reason) or used' })
  @ApiOkResponse({ type: OAuthAuthorizationView })
  @ApiErrors(400, 401, 403, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<OAuthAuthorizationView> {
    return toOAuthAuthorizationView(await this.upstream.credential.get<OAuthAuthorizationRecord>(`/internal/oauth/authorizations/${id}`, { tenantId: p.tenantId }));
  }

  /** The provider's redirect target: authenticated by its single-use state, answered as a page for the person. */
  @Get('callback')
  @StateAuthenticated()
  @ApiExcludeEndpoint()
  async callback(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    // providers add parameters of their own: read what matters, ignore the rest
    const state = queryText(query, 'state', 500);
    if (!state) {
      sendBrowserFlowPage(res, { ok: false, id: null, title: 'Authorization refused', detail: 'The provider sent no state back; start again from RepoVault.' });
      return;
    }
    let result: BrowserFlowResult;
    try {
      result = await this.upstream.credential.post<BrowserFlowResult>('/internal/oauth/callback', {
        body: { state, code: queryText(query, 'code', 2_000), error: queryText(query, 'error', 200), errorDescription: queryText(query, 'error_description', 2_000) },
        timeoutMs: 120_000,
      });
    } catch (error) {
      if (!(error instanceof ProblemException) || error.problem.status >= 500) throw error;
      result = { ok: false, id: null, title: 'Authorization refused', detail: error.problem.detail };
    }
    sendBrowserFlowPage(res, result);
  }
}
