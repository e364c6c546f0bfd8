export * from './rate-model';
export * from './fixed-window';
export * from './sliding-window';
export * from './per-minute-window';
export * from './token-bucket';
