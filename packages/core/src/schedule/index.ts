/**
 * Repayment schedules: due dates, level payments and the instalment-by-instalment schedule.
 */
export { type Frequency, FREQUENCIES, periodsPerYear, monthsPerPeriod } from './frequency.js';
export { paymentDates, MAX_TERM_MONTHS } from './payment-dates.js';
export { annuityPayment, annuityPaymentForRates } from './annuity.js';
export {
  type RepaymentMethod,
  REPAYMENT_METHODS,
  type ScheduleInput,
  type Installment,
  type Schedule,
  schedule,
} from './schedule.js';
export { type ScheduleColumns, toScheduleColumns, fromScheduleColumns } from './columns.js';
