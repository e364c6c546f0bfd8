import { type DynamicModule, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReadinessRegistry } from '@repovault/platform/http';
import { DataSource } from 'typeorm';
import { type ServiceDataSourceSpec, serviceDataSourceOptions } from './datasource-options';
import { postgresReadinessCheck } from './postgres-readiness';

@Injectable()
class PostgresReadiness implements OnModuleInit {
  constructor(private readonly dataSource: DataSource, private readonly readiness: ReadinessRegistry) {}

  onModuleInit(): void {
    this.readiness.add(postgresReadinessCheck(this.dataSource));
  }
}

/** The service's one datasource (its own schema), with its readiness check. */
@Module({})
export class DatabaseModule {
  static forService(spec: ServiceDataSourceSpec): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...serviceDataSourceOptions(spec),
            // keep trying while PostgreSQL is away at start-up instead of exiting
            retryAttempts: 1_000,
            retryDelay: 2_000,
          }),
        }),
      ],
      providers: [PostgresReadiness],
    };
  }
}
