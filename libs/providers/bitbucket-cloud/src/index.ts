export * from './bitbucket-cloud-api-base';
export * from './bitbucket-cloud-tokens';
export * from './bitbucket-cloud-rate-limit';
export * from './bitbucket-cloud-identity';
export * from './bitbucket-cloud-adapter';
export * from './bitbucket-cloud-credential-policy';
export { BitbucketForbiddenError } from './bitbucket-cloud-http';
export {
  BITBUCKET_CLOUD_EXPORT_FIELDS, BITBUCKET_CLOUD_METADATA_MAPPING, type BitbucketCloudExportOptions,
} from './bitbucket-cloud-metadata-export';
export type { BitbucketRecord } from './bitbucket-cloud-pages';
export { BitbucketCloudRestorer } from './restore/bitbucket-cloud-restorer';
export { BITBUCKET_CLOUD_RESTORE_CAPABILITIES } from './restore/bitbucket-cloud-restore-capabilities';
