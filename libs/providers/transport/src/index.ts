export * from './claims-api';
export * from './claim-broker';
export * from './credential-material-cache';
export * from './claimed-transport';
