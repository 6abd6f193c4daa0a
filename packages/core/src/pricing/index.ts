export {
  type GreenScoreSnapshot,
  type GreenDiscountPolicy,
  type GreenDiscountPolicyOverride,
  type GreenDiscount,
  type DiscountLimit,
  DEFAULT_GREEN_DISCOUNT_POLICY,
  resolvePolicy,
  greenDiscount,
} from './discount-policy.js';
export {
  priceLoan,
  MONTHS_PER_PERIOD,
  type PriceLoanInput,
  type PricedLoan,
  type LoanFees,
} from './price-loan.js';
export {
  simulateMarginRatchet,
  type MarginRatchetInput,
  type MarginRatchetResult,
  type RatchetYear,
  type KpiTest,
  type SustainabilityKpi,
} from './sustainability-linked.js';
export { normaliseRate, addRates, pp } from './rates.js';
