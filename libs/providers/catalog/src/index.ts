export * from './provider-catalog';
