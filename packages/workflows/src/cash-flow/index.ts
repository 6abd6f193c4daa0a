/** Cash-flow underwriting's storage side: transactions, category rules, alerts. */
export * from './transactions.js';
export * from './alerts.js';
export * from './schedule.js';
