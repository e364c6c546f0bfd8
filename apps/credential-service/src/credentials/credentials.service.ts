import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  CredentialInput, CredentialMaterial, CredentialRecord, OrganizationTarget, TokenCredentialInput,
} from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import type { CredentialRole } from '@repovault/providers/core';
import { IsNull, type Repository } from 'typeorm';
import { SecretsService } from '../secrets/secrets.service';
import { CredentialEntity } from './credential.entity';
import { toCredentialRecord } from './credential-record';
import { CredentialValidator, type ValidatedCredential } from './credential-validator';
import { DelegatedCredentialsService } from './delegated-credentials.service';

/** Main and additional credentials of organizations, each validated against its provider. */
@Injectable()
export class CredentialsService {
  constructor(
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
    private readonly secrets: SecretsService,
    private readonly validator: CredentialValidator,
    private readonly producer: JobProducer,
    private readonly delegated: DelegatedCredentialsService,
  ) {}

  async create(tenantId: string, organization: OrganizationTarget, input: CredentialInput, role: CredentialRole): Promise<CredentialRecord> {
    if (role === 'main' && (await this.credentials.existsBy({ tenantId, organizationId: organization.id, role: 'main', removedAt: IsNull() }))) {
      throw ProblemException.conflict('main-credential-exists', 'The organization already has a main credential.');
    }
    // OAuth grants and GitHub App installations: the provider issues their short-lived secrets
    const entity = input.method === 'token' ? await this.createWithToken(tenantId, organization, input, role) : await this.delegated.create(tenantId, organization, input, role);
    await this.producer.publish({ type: 'credential.added', tenantId, organizationId: organization.id, credentialId: entity.id });
    return toCredentialRecord(entity, await this.live(tenantId, organization.id));
  }

  private async createWithToken(tenantId: string, organization: OrganizationTarget, input: TokenCredentialInput, role: CredentialRole): Promise<CredentialEntity> {
    const value = await this.secretValue(tenantId, input);
    const validated = await this.validator.validate(organization, value, role, { username: input.username ?? null, email: input.email ?? null });
    return this.credentials.manager.transaction(async (manager) => {
      const secretId = input.secretId ?? (await this.secrets.create(
        tenantId,
        { name: await this.freeSecretName(tenantId, `${organization.name} ${role} token (${validated.identity.login})`), value, description: `added with a ${role} credential of ${organization.name}` },
        manager,
      )).id;
      const repository = manager.getRepository(CredentialEntity);
      return repository.save(repository.create({
        tenantId,
        organizationId: organization.id,
        role,
        method: 'token',
        username: input.username ?? null,
        email: input.email ?? null,
        secretId,
        provider: organization.provider,
        apiBaseUrl: organization.apiBaseUrl,
        organizationName: organization.name,
        ...this.identityColumns(validated),
        status: 'valid',
        statusReason: null,
        lastUsedAt: null,
        removedAt: null,
      }));
    });
  }

  async list(tenantId: string, organizationId: string): Promise<CredentialRecord[]> {
    const live = await this.live(tenantId, organizationId);
    return live.map((c) => toCredentialRecord(c, live));
  }

  async get(tenantId: string, organizationId: string, id: string): Promise<CredentialRecord> {
    const live = await this.live(tenantId, organizationId);
    const entity = live.find((c) => c.id === id);
    if (!entity) throw ProblemException.notFound('Credential');
    return toCredentialRecord(entity, live);
  }

  async remove(tenantId: string, organizationId: string, id: string, allowMain: boolean): Promise<void> {
    const entity = await this.entity(tenantId, organizationId, id);
    if (entity.role === 'main' && !allowMain) {
      throw ProblemException.conflict('main-credential', 'The main credential cannot be removed; delete the organization or replace the secret value instead.');
    }
    await this.credentials.update({ id }, { removedAt: new Date(), status: 'revoked', statusReason: 'removed' });
    await this.delegated.forget(tenantId, [id]);
    await this.producer.publish({ type: 'credential.removed', tenantId, organizationId, credentialId: id });
  }

  /** Checks a credential again (identity, scopes, access) and records the outcome. */
  async revalidate(tenantId: string, organizationId: string, id: string): Promise<CredentialRecord> {
    const entity = await this.entity(tenantId, organizationId, id);
    await this.recheck(entity);
    return this.get(tenantId, organizationId, id);
  }

  /** A secret's value changed: every credential using it learns its (possibly new) identity. */
  async reidentifyUsersOfSecret(tenantId: string, secretId: string): Promise<void> {
    const users = await this.credentials.findBy({ tenantId, secretId, removedAt: IsNull() });
    for (const entity of users) await this.recheck(entity);
  }

  async material(tenantId: string, id: string): Promise<CredentialMaterial> {
    const entity = await this.credentials.findOneBy({ id, tenantId, removedAt: IsNull() });
    if (entity && entity.method !== 'token') {
      const live = await this.delegated.liveSecret(entity);
      return {
        credentialId: entity.id,
        organizationId: entity.organizationId,
        provider: entity.provider,
        apiBaseUrl: entity.apiBaseUrl,
        method: entity.method,
        username: entity.username,
        email: entity.email,
        secret: live.secret,
        identityKey: entity.identityKey,
        tokenKind: entity.tokenKind,
        expiresAt: live.expiresAt?.toISOString() ?? null,
        renewAt: live.renewAt?.toISOString() ?? null,
      };
    }
    if (!entity || !entity.secretId) throw ProblemException.notFound('Credential');
    return {
      credentialId: entity.id,
      organizationId: entity.organizationId,
      provider: entity.provider,
      apiBaseUrl: entity.apiBaseUrl,
      method: entity.method,
      username: entity.username,
      email: entity.email,
      secret: await this.secrets.reveal(tenantId, entity.secretId),
      identityKey: entity.identityKey,
      tokenKind: entity.tokenKind,
    };
  }

  /** The organization was deleted: its credentials stop working everywhere. */
  async revokeOrganization(tenantId: string, organizationId: string): Promise<void> {
    await this.delegated.forget(tenantId, (await this.live(tenantId, organizationId)).map((c) => c.id));
    await this.credentials.update({ tenantId, organizationId, removedAt: IsNull() }, { status: 'revoked', statusReason: 'organization deleted', removedAt: new Date() });
  }

  private async recheck(entity: CredentialEntity): Promise<void> {
    const target: OrganizationTarget = { id: entity.organizationId, provider: entity.provider, apiBaseUrl: entity.apiBaseUrl, name: entity.organizationName };
    let check: () => Promise<ValidatedCredential>;
    if (entity.method === 'token') {
      const value = entity.secretId ? await this.secrets.reveal(entity.tenantId, entity.secretId) : null;
      if (!value) return;
      check = () => this.validator.validate(target, value, entity.role, { username: entity.username, email: entity.email });
    } else {
      check = () => this.delegated.revalidate(entity, target);
    }
    try {
      const validated = await check();
      await this.credentials.update({ id: entity.id }, { ...this.identityColumns(validated), status: 'valid', statusReason: null });
    } catch (error) {
      if (!(error instanceof ProblemException) || error.problem.status !== 422) throw error;
      await this.credentials.update({ id: entity.id }, { status: 'invalid', statusReason: error.problem.detail });
      if (entity.status !== 'invalid') {
        await this.producer.publish({ type: 'credential.invalidated', tenantId: entity.tenantId, organizationId: entity.organizationId, credentialId: entity.id, reason: 'unauthorized' });
      }
    }
  }

  private identityColumns(validated: ValidatedCredential): Partial<CredentialEntity> {
    const { identity, capabilities } = validated;
    return { identityKey: identity.key, identityLogin: identity.login, tokenKind: identity.tokenKind, scopes: identity.scopes, rateLimit: identity.rateLimit, capabilities };
  }

  private async secretValue(tenantId: string, input: TokenCredentialInput): Promise<string> {
    if (input.secretId && input.secret) throw ProblemException.badRequest('Give either secretId (a password-manager entry) or secret (a new value), not both.');
    if (input.secret) return input.secret;
    if (!input.secretId) throw ProblemException.badRequest('Give the token: secretId (a password-manager entry) or secret (a new value).');
    try {
      return await this.secrets.reveal(tenantId, input.secretId);
    } catch (error) {
      if (error instanceof ProblemException && error.problem.status === 404) {
        throw ProblemException.unprocessable('secret-not-found', 'secretId does not name a secret of this tenant; create it with POST /v1/secrets first.');
      }
      throw error;
    }
  }

  private async freeSecretName(tenantId: string, wanted: string): Promise<string> {
    for (let n = 1; ; n++) {
      const name = n === 1 ? wanted : `${wanted} #${n}`;
      if (!(await this.secrets.nameTaken(tenantId, name))) return name;
    }
  }

  private live(tenantId: string, organizationId: string): Promise<CredentialEntity[]> {
    return this.credentials.find({ where: { tenantId, organizationId, removedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  private async entity(tenantId: string, organizationId: string, id: string): Promise<CredentialEntity> {
    const entity = await this.credentials.findOneBy({ id, tenantId, organizationId, removedAt: IsNull() });
    if (!entity) throw ProblemException.notFound('Credential');
    return entity;
  }
}
