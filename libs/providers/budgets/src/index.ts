export * from './budget-rules';
export * from './budget-ledger';
