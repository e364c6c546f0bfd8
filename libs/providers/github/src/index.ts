export * from './github-tokens';
export * from './github-api-base';
export * from './github-rate-limit';
export * from './github-adapter';
export * from './github-credential-policy';
