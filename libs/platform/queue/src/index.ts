export * from './redis-connection';
export * from './queue-settings';
export * from './job-producer';
export * from './job-handlers';
export * from './job-handler-registry';
export * from './queue-consumers';
export * from './queue-metrics';
export * from './queue.module';
