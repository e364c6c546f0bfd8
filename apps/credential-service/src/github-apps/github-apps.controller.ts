import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { BrowserFlowResult, GitHubAppInstallationRecord, GitHubAppRecord, StartedGitHubAppInstallation } from '@repovault/contracts/internal-api';
import { InternalRoute, TenantId, UuidParam } from '@repovault/platform/http';
import { GitHubAppInstallsService } from './github-app-installs.service';
import { GitHubAppRegistry } from './github-app-registry';
import { InstallationCallbackBody, StartInstallationBody } from './github-apps.dto';

@Controller('internal/github-apps')
@InternalRoute('api-gateway')
export class GitHubAppsController {
  constructor(private readonly registry: GitHubAppRegistry, private readonly installs: GitHubAppInstallsService) {}

  /** The apps the operator configured (the drop-down of #1–#10), without their keys. */
  @Get()
  list(): GitHubAppRecord[] {
    return this.registry.list();
  }

  @Post('installations')
  start(@TenantId() tenantId: string, @Body() body: StartInstallationBody): Promise<StartedGitHubAppInstallation> {
    return this.installs.start(tenantId, body);
  }

  @Get('installations/:id')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<GitHubAppInstallationRecord> {
    return this.installs.get(tenantId, id);
  }

  @Post('callback')
  @HttpCode(200)
  callback(@Body() body: InstallationCallbackBody): Promise<BrowserFlowResult> {
    return this.installs.callback(body);
  }
}
