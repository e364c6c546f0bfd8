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
export type { RouteInfo } from './core/http-router';
export type { ProviderPlugin } from './core/provider-plugin';
export { ScaledClock, ManualClock, type Clock } from './core/clock';
export * from './core/rate-models';
