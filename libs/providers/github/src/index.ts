export * from './github-tokens';
export * from './github-api-base';
export * from './github-rate-limit';
export * from './github-adapter';
export * from './github-credential-policy';
export * from './github-git-auth';
export { GITHUB_EXPORT_FIELDS, type GitHubRecord } from './github-metadata-export';
