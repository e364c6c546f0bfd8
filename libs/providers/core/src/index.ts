export * from './provider-kind';
export * from './provider-types';
export * from './provider-errors';
export * from './egress/address-policy';
export * from './egress/egress-policy';
export * from './egress/egress-fetch';
export * from './provider-adapter';
export * from './credential-policy';
