export * from './claims-api';
export * from './claim-broker';
export * from './credential-material-cache';
export * from './claimed-transport';
export * from './conditional-cache';
export * from './direct-claims-api';
export * from './reservation-waits';
