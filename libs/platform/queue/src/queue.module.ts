import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ReadinessRegistry } from '@repovault/platform/http';
import { BullMQOtel } from 'bullmq-otel';
import type { Redis } from 'ioredis';
import { JobHandlerRegistry } from './job-handler-registry';
import { JobProducer } from './job-producer';
import { CONSUMER_PROCESSORS, type ConsumedQueue, ConsumerLifecycle, processorFor } from './queue-consumers';
import { QueueMetrics } from './queue-metrics';
import { CONSUMED_QUEUES, QUEUE_SETTINGS, type QueueSettings } from './queue-settings';
import { createRedisClient, redisConnectionOptions, redisReadinessCheck } from './redis-connection';

const READINESS_REDIS = Symbol('READINESS_REDIS');
const CONSUMED = Symbol('CONSUMED');

@Injectable()
class RedisReadiness implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(READINESS_REDIS) private readonly client: Redis,
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: QueueMetrics,
    @Inject(CONSUMED) private readonly consumed: ConsumedQueue[],
  ) {}

  onModuleInit(): void {
    this.readiness.add(redisReadinessCheck(this.client));
    this.metrics.watch(this.consumed.map((q) => q.name));
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

/**
 * BullMQ for one service: a typed producer, the handler registry with its start-up check, and
 * processors for the queues it consumes, which start paused until PostgreSQL and Redis answer.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(settings: QueueSettings, consumes: ConsumedQueue[] = []): DynamicModule {
    const processors = consumes.map((queue) => processorFor(queue, settings));
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({
          connection: redisConnectionOptions(settings.redisUrl, 'worker'),
          prefix: settings.prefix,
          telemetry: new BullMQOtel({ tracerName: settings.service }),
        }),
        // registering the consumed queues also brings @nestjs/bullmq's explorer, which creates the workers
        ...(consumes.length > 0 ? [BullModule.registerQueue(...consumes.map((q) => ({ name: q.name })))] : []),
      ],
      providers: [
        { provide: QUEUE_SETTINGS, useValue: settings },
        { provide: CONSUMED, useValue: consumes },
        { provide: CONSUMED_QUEUES, useValue: consumes.map((q) => q.name) },
        { provide: READINESS_REDIS, useFactory: () => createRedisClient(settings.redisUrl, 'client', `${settings.service}-readiness`) },
        JobProducer,
        JobHandlerRegistry,
        QueueMetrics,
        RedisReadiness,
        ...processors,
        { provide: CONSUMER_PROCESSORS, useFactory: (...instances: unknown[]) => instances, inject: processors },
        ConsumerLifecycle,
      ],
      exports: [JobProducer, QUEUE_SETTINGS],
    };
  }
}
