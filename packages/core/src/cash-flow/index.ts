/**
 * Cash-flow underwriting: bank transactions, de-duplication keys, categorisation rules, cash-flow
 * analytics, debt service coverage and a cash-flow risk grade that sets the credit spread.
 */
export {
  type Transaction,
  type CategorySource,
  CATEGORY_SOURCES,
  isValidTransaction,
  validateTransaction,
  validateTransactions,
} from './transaction.js';
export { sha256Hex, utf8Bytes } from './sha256.js';
export { DEDUP_KEY_VERSION, normaliseDescription, transactionDedupKeys, dedupHash } from './dedup.js';
export {
  type CategoryRule,
  type CategoryRuleField,
  type CategoryRuleMatch,
  type AmountSign,
  type CategorisedTransaction,
  categorise,
} from './categorise.js';
export { type Granularity, GRANULARITIES, type Period, calendarPeriods } from './periods.js';
export {
  type CashFlowAnalyticsInput,
  type CashFlowAnalytics,
  type CashFlowPeriod,
  type CashFlowVolatility,
  type CounterpartyVolume,
  type CategoryTotal,
  type SeasonalityMonth,
  cashFlowAnalytics,
} from './analytics.js';
export {
  type DebtServiceCoverageInput,
  type DebtServiceCoverage,
  debtServiceCoverage,
  monthlyDebtService,
} from './debt-service.js';
export {
  type CashFlowGrade,
  type CashFlowRiskPolicy,
  type CashFlowRiskPolicyOverride,
  type CashFlowRiskExtras,
  type CashFlowNotch,
  type CashFlowRiskGrade,
  CASH_FLOW_GRADES,
  DEFAULT_CASH_FLOW_RISK_POLICY,
  resolveCashFlowRiskPolicy,
  cashFlowRiskGrade,
} from './risk-grade.js';
export {
  type CashFlowLoanTerms,
  type CreditSpreadFromCashFlowInput,
  type CreditSpreadFromCashFlow,
  creditSpreadFromCashFlow,
} from './credit-spread.js';
