export * from './queue-names';
export * from './job-payloads';
export * from './domain-events';
export * from './job-routing';
export * from './job-validation';
export * from './worker-pool-load';
