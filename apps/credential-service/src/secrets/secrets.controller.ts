import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import type { SecretRecord } from '@repovault/contracts/internal-api';
import { InternalRoute, ListQuery, type Page, TenantId, UuidParam, decodeCursor, limitOf, toPage } from '@repovault/platform/http';
import { CredentialsService } from '../credentials/credentials.service';
import { CreateSecretBody, SecretValueBody } from './secrets.dto';
import { SecretsService, toSecretRecord } from './secrets.service';

/** The password manager for the gateway: values go in, only metadata comes out. */
@Controller('internal/secrets')
@InternalRoute('api-gateway')
export class SecretsController {
  constructor(private readonly secrets: SecretsService, private readonly credentials: CredentialsService) {}

  @Post()
  async create(@TenantId() tenantId: string, @Body() body: CreateSecretBody): Promise<SecretRecord> {
    return toSecretRecord(await this.secrets.create(tenantId, body));
  }

  @Get()
  async list(@TenantId() tenantId: string, @Query() query: ListQuery): Promise<Page<SecretRecord>> {
    const limit = limitOf(query);
    const after = decodeCursor<{ id: string }>(query.cursor, ['id']);
    return toPage(await this.secrets.list(tenantId, limit, after?.id), limit, toSecretRecord, (s) => ({ id: s.id }));
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<SecretRecord> {
    return toSecretRecord(await this.secrets.get(tenantId, id));
  }

  /** Rotation: credentials using the secret pick the new value up and re-detect their identity. */
  @Put(':id/value')
  async rotate(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Body() body: SecretValueBody): Promise<SecretRecord> {
    const secret = await this.secrets.replaceValue(tenantId, id, body.value);
    await this.credentials.reidentifyUsersOfSecret(tenantId, id);
    return toSecretRecord(secret);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.secrets.remove(tenantId, id);
  }
}
