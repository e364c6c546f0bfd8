export * from './config-fields';
export * from './load-config';
export * from './common-fields';
export type { ServiceName } from '@repovault/contracts/jobs';
