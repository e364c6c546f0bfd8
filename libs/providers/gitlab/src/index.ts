export * from './gitlab-api-base';
export * from './gitlab-tokens';
export * from './gitlab-git-auth';
export * from './gitlab-rate-limit';
export * from './gitlab-errors';
export * from './gitlab-adapter';
export * from './gitlab-credential-policy';
export { GITLAB_EXPORT_FIELDS, type GitLabMetadataExportOptions, type GitLabRecord } from './gitlab-metadata-export';
export { GITLAB_USER_AGENT, gitlabRequesterFn } from './gitlab-client';
