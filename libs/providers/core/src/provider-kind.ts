export const PROVIDER_KINDS = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
