import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { BrowserFlowResult, CreatedOAuthAuthorization, OAuthAuthorizationRecord } from '@repovault/contracts/internal-api';
import { InternalRoute, TenantId, UuidParam } from '@repovault/platform/http';
import { CreateOAuthAuthorizationBody, OAuthCallbackBody } from './oauth.dto';
import { OAuthAuthorizationsService } from './oauth-authorizations.service';

@Controller('internal/oauth')
export class OAuthAuthorizationsController {
  constructor(private readonly authorizations: OAuthAuthorizationsService) {}

  @Post('authorizations')
  @InternalRoute('api-gateway')
  create(@TenantId() tenantId: string, @Body() body: CreateOAuthAuthorizationBody): Promise<CreatedOAuthAuthorization> {
    return this.authorizations.create(tenantId, body);
  }

  /** org-service reads it when an organization is connected with it (provider, base URL, defaults). */
  @Get('authorizations/:id')
  @InternalRoute('api-gateway', 'org-service')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<OAuthAuthorizationRecord> {
    return this.authorizations.get(tenantId, id);
  }

  /** The browser's return from the provider, relayed by the gateway: the state says whose it is. */
  @Post('callback')
  @HttpCode(200)
  @InternalRoute('api-gateway')
  callback(@Body() body: OAuthCallbackBody): Promise<BrowserFlowResult> {
    return this.authorizations.callback(body);
  }
}
