export * from './oauth-endpoints';
export * from './token-set';
export * from './oauth-client';
export * from './operator-document';
export * from './operator-oauth-clients';
export * from './github-apps-config';
