export * from './telemetry';
export * from './launch';
