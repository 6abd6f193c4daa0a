/**
 * Annual percentage rate: EU Consumer Credit Directive Annex I (= UK FCA CONC App 1) and US
 * Regulation Z Appendix J actuarial method, with fees.
 */
export {
  apr,
  aprDetails,
  APR_METHODS,
  type AprDetails,
  type AprInput,
  type AprMethod,
  type AprTimelineEntry,
  type CashFlow,
} from './apr.js';
export { loanFeeCashFlows, type AprFees, type ArrangementFeeTiming } from './fees.js';
export { UNIT_PERIOD_NAMES, type UnitPeriod, type UnitPeriodName } from './unit-period.js';
export { type AnnexITimeUnit } from './time.js';
