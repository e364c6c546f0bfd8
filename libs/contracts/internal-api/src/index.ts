export * from './organizations';
export * from './credentials';
