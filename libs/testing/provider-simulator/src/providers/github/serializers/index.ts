export * from './serializer-context';
export * from './accounts';
export * from './repositories';
export * from './issues';
export * from './pulls';
export * from './releases';
