import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { ProblemException } from '@repovault/platform/http';
import { DataSource, type Repository } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { TenantEntity } from './tenant.entity';

@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(TenantEntity) private readonly tenants: Repository<TenantEntity>,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** A tenant and its first admin key, in one transaction. */
  async create(name: string): Promise<{ tenant: TenantEntity; apiKey: string }> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await manager.getRepository(TenantEntity).save({ name: name.trim() });
      const { key } = await this.apiKeys.create(tenant.id, 'initial admin key', 'admin', manager);
      return { tenant, apiKey: key };
    });
  }

  async get(id: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findOneBy({ id });
    if (!tenant) throw ProblemException.notFound('Tenant');
    return tenant;
  }
}
