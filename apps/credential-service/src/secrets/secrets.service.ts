import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { SecretRecord } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { randomUUID } from 'node:crypto';
import { type EntityManager, IsNull, QueryFailedError, type Repository } from 'typeorm';
import { CredentialEntity } from '../credentials/credential.entity';
import { OAuthAppEntity } from '../oauth/oauth-app.entity';
import { VaultService } from '../vault/vault.service';
import { SecretEntity } from './secret.entity';

export function toSecretRecord(entity: SecretEntity): SecretRecord {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    hint: entity.hint,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

function hintOf(value: string): string {
  return value.length <= 8 ? '' : value.slice(-4);
}

/** The password manager: named secrets, sealed at rest, write-only through every public route. */
@Injectable()
export class SecretsService {
  constructor(
    @InjectRepository(SecretEntity) private readonly secrets: Repository<SecretEntity>,
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
    @InjectRepository(OAuthAppEntity) private readonly oauthApps: Repository<OAuthAppEntity>,
    private readonly vault: VaultService,
  ) {}

  async create(tenantId: string, input: { name: string; value: string; description?: string | null }, manager?: EntityManager): Promise<SecretEntity> {
    const repository = manager ? manager.getRepository(SecretEntity) : this.secrets;
    const id = randomUUID();
    const sealed = this.vault.seal(tenantId, id, input.value);
    try {
      return await repository.save(
        repository.create({ id, tenantId, name: input.name, description: input.description ?? null, hint: hintOf(input.value), ...sealed }),
      );
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw ProblemException.conflict('secret-name-taken', `A secret named "${input.name}" already exists; choose another name.`);
      }
      throw error;
    }
  }

  async get(tenantId: string, id: string): Promise<SecretEntity> {
    const secret = await this.secrets.findOneBy({ id, tenantId });
    if (!secret) throw ProblemException.notFound('Secret');
    return secret;
  }

  list(tenantId: string, limit: number, after?: string): Promise<SecretEntity[]> {
    const query = this.secrets.createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId }).orderBy('s.id', 'ASC').limit(limit + 1);
    if (after) query.andWhere('s.id > :after', { after });
    return query.getMany();
  }

  async nameTaken(tenantId: string, name: string): Promise<boolean> {
    return this.secrets.existsBy({ tenantId, name });
  }

  /** The plaintext, for the services allowed to receive it. */
  async reveal(tenantId: string, id: string): Promise<string> {
    return this.vault.open(await this.get(tenantId, id));
  }

  /** New value, sealed under the active key. Credentials using it are re-identified by the caller. */
  async replaceValue(tenantId: string, id: string, value: string): Promise<SecretEntity> {
    const secret = await this.get(tenantId, id);
    Object.assign(secret, this.vault.seal(tenantId, id, value), { hint: hintOf(value) });
    return this.secrets.save(secret);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.get(tenantId, id);
    const users = await this.credentials.countBy({ tenantId, secretId: id, removedAt: IsNull() });
    if (users > 0) {
      throw ProblemException.conflict('secret-in-use', `The secret is used by ${users} credential${users === 1 ? '' : 's'}; remove or change them first.`);
    }
    const apps = await this.oauthApps.countBy({ tenantId, clientSecretId: id, removedAt: IsNull() });
    if (apps > 0) {
      throw ProblemException.conflict('secret-in-use', `The secret is the client secret of ${apps} OAuth application${apps === 1 ? '' : 's'}; remove ${apps === 1 ? 'it' : 'them'} first (DELETE /v1/oauth-apps/{id}).`);
    }
    await this.secrets.delete({ id, tenantId });
  }
}
