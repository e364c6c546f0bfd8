export * from './organizations';
export * from './credentials';
export * from './plans';
export * from './claims';
export * from './oauth';
export * from './restores';
