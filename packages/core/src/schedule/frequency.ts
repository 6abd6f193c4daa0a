/**
 * Payment frequencies of a repayment schedule: how many calendar months one period spans.
 */
import { assertOneOf } from '../errors.js';

/** How often instalments fall due. */
export type Frequency = 'monthly' | 'quarterly' | 'semiannual' | 'annual';
export const FREQUENCIES: readonly Frequency[] = ['monthly', 'quarterly', 'semiannual', 'annual'];

/** Calendar months per period (validate the frequency first). */
export const MONTHS_PER_PERIOD: Readonly<Record<Frequency, number>> = {
  monthly: 1,
  quarterly: 3,
  semiannual: 6,
  annual: 12,
};

/**
 * Calendar months in one period of `frequency` (validated; `invalid_option` otherwise).
 *
 * @example monthsPerPeriod('quarterly') // 3
 */
export function monthsPerPeriod(frequency: Frequency, path = 'frequency'): number {
  assertOneOf(frequency, FREQUENCIES, path);
  return MONTHS_PER_PERIOD[frequency];
}

/**
 * Payment periods in a year for `frequency` — the divisor that turns an annual nominal rate into a
 * regular periodic rate (`annualRate / periodsPerYear`).
 *
 * @example periodsPerYear('monthly') // 12
 * @example periodsPerYear('semiannual') // 2
 */
export function periodsPerYear(frequency: Frequency): number {
  return 12 / monthsPerPeriod(frequency);
}
