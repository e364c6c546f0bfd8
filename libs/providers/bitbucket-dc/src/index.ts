export * from './bitbucket-dc-api-base';
export * from './bitbucket-dc-tokens';
export * from './bitbucket-dc-rate-limit';
export * from './bitbucket-dc-adapter';
export * from './bitbucket-dc-credential-policy';
export { BITBUCKET_DC_EXPORT_FIELDS, BITBUCKET_DC_METADATA_MAPPING } from './bitbucket-dc-metadata-export';
export type { BitbucketDcRecord } from './bitbucket-dc-http';
export { BitbucketDcRestorer } from './restore/bitbucket-dc-restorer';
export { BITBUCKET_DC_RESTORE_CAPABILITIES, bitbucketDcStagingBranch } from './restore/bitbucket-dc-restore-capabilities';
