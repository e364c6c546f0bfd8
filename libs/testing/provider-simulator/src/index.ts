export { startSimulator } from './simulator';
export type { RepositorySummary, RunningSimulator, SimulatorOptions } from './simulator';
export { demoSeed } from './demo-seed';
export type {
  MetadataSeed,
  OrganizationSeed,
  RepositoryBatchSeed,
  RepositorySeed,
  SeedConfig,
  TokenSeed,
  UserSeed,
} from './core/seeding/seed-config';
export { SeedConfigError, validateSeedConfig, validateRepositorySeed } from './core/seeding/seed-config-validation';
export type { IdentityStats, ResourceCounts, SimulatorStats } from './core/identity-stats';
export type { MetadataCounts } from './core/world/world-model';
export type { GithubSimulatorOptions } from './providers/github/github-options';
export { githubRestRouteTable, ENTERPRISE_API_PREFIX } from './providers/github/github-provider';
export { gitlabDemoSeed } from './providers/gitlab/gitlab-demo-seed';
export type {
  GitlabAccessLevelName, GitlabAccessTokenSeed, GitlabGroupSeed, GitlabMemberSeed, GitlabProjectSeed, GitlabSeedConfig, GitlabTokenSeed, GitlabUserSeed,
  GitlabVisibility,
} from './providers/gitlab/gitlab-seed';
export type { GitlabSimulatorOptions } from './providers/gitlab/gitlab-options';
export type { GitlabProjectSummary } from './providers/gitlab/gitlab-simulator';
export { gitlabRestRouteTable } from './providers/gitlab/gitlab-provider';
export { GITLAB_CONTRACT, matchGitlabContract, type GitlabContractEndpoint, type GitlabContractMatch } from './providers/gitlab/gitlab-contract';
export {
  GITLAB_WRITE_CONTRACT, matchGitlabWriteContract, type GitlabWriteContractEndpoint, type GitlabWriteContractMatch,
} from './providers/gitlab/gitlab-write-contract';
export { bitbucketCloudDemoSeed } from './providers/bitbucket-cloud/bitbucket-cloud-demo-seed';
export {
  BITBUCKET_CLOUD_DEFAULT_ACCESS_TOKEN_SCOPES, BITBUCKET_CLOUD_DEFAULT_API_TOKEN_SCOPES, type BitbucketCloudAccessTokenKind, type BitbucketCloudAccessTokenSeed,
  type BitbucketCloudProjectSeed, type BitbucketCloudSeed, type BitbucketCloudUserSeed, type BitbucketCloudUserTokenKind, type BitbucketCloudUserTokenSeed,
  type BitbucketCloudWorkspaceSeed,
} from './providers/bitbucket-cloud/bitbucket-cloud-seed';
export type { BitbucketCloudSimulatorOptions } from './providers/bitbucket-cloud/bitbucket-cloud-options';
export type { BitbucketCloudMetadataCounts } from './providers/bitbucket-cloud/bitbucket-cloud-metadata';
export { bitbucketCloudRestRouteTable } from './providers/bitbucket-cloud/bitbucket-cloud-provider';
export { bitbucketDcDemoSeed } from './providers/bitbucket-dc/bitbucket-dc-demo-seed';
export {
  BITBUCKET_DC_PERMISSIONS, type BitbucketDcAccessTokenSeed, type BitbucketDcPermission, type BitbucketDcProjectSeed, type BitbucketDcSeed, type BitbucketDcTokenSeed,
  type BitbucketDcUserSeed,
} from './providers/bitbucket-dc/bitbucket-dc-seed';
export type { BitbucketDcSimulatorOptions } from './providers/bitbucket-dc/bitbucket-dc-options';
export type { BitbucketDcMetadataCounts } from './providers/bitbucket-dc/bitbucket-dc-metadata';
export { bitbucketDcRestRouteTable } from './providers/bitbucket-dc/bitbucket-dc-provider';
export type { RouteInfo } from './core/http-router';
export type { ProviderPlugin } from './core/provider-plugin';
export { ScaledClock, ManualClock, type Clock } from './core/clock';
export * from './core/rate-models';
export type { SimOAuthClient, OAuthLifetimes, OAuthStats } from './core/oauth/oauth-authorization-server';
export type { GithubAppSeed, GithubAppsOptions, GithubAppStats } from './providers/github/github-apps';
export type { OAuthProviderId, SimulatorGithubApp, SimulatorGithubAppsControl, SimulatorOAuthControl } from './simulator-oauth';
