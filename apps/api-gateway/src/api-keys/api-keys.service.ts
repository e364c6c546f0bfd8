import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ProblemException } from '@repovault/platform/http';
import type { EntityManager, Repository } from 'typeorm';
import type { ApiPrincipal, Role } from '../auth/roles';
import { generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKeyEntity } from './api-key.entity';

const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  /** Creates a key and returns it once; only its hash is kept. */
  async create(tenantId: string, name: string, role: Role, manager?: EntityManager): Promise<{ entity: ApiKeyEntity; key: string }> {
    const { key, hash, prefix } = generateApiKey();
    const repository = manager ? manager.getRepository(ApiKeyEntity) : this.keys;
    const entity = await repository.save(repository.create({ tenantId, name, role, keyHash: hash, keyPrefix: prefix, lastUsedAt: null }));
    return { entity, key };
  }

  async authenticate(key: string): Promise<ApiPrincipal | undefined> {
    const entity = await this.keys.findOneBy({ keyHash: hashApiKey(key) });
    if (!entity) return undefined;
    if (!entity.lastUsedAt || Date.now() - entity.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.keys.update({ id: entity.id }, { lastUsedAt: new Date() });
    }
    return { tenantId: entity.tenantId, keyId: entity.id, role: entity.role };
  }

  list(tenantId: string, limit: number, after?: string): Promise<ApiKeyEntity[]> {
    const query = this.keys.createQueryBuilder('k').where('k.tenant_id = :tenantId', { tenantId }).orderBy('k.id', 'ASC').limit(limit + 1);
    if (after) query.andWhere('k.id > :after', { after });
    return query.getMany();
  }

  async remove(tenantId: string, id: string, principal: ApiPrincipal): Promise<void> {
    const entity = await this.keys.findOneBy({ id, tenantId });
    if (!entity) throw ProblemException.notFound('API key');
    if (entity.id === principal.keyId) {
      throw ProblemException.conflict('own-key', 'An API key cannot delete itself; delete it with another admin key.');
    }
    await this.keys.delete({ id, tenantId });
  }
}
