/**
 * @greenfin/core — pure green-lending maths. Everything a consumer may use is re-exported here;
 * import only from the package root.
 */
export { ErrorCode, GreenfinError } from './errors.js';
export { halfEven, halfUp, type RoundingMode, ROUNDING_MODES } from './rounding.js';
export {
  CURRENCY_EXPONENTS,
  type CurrencyCode,
  type Money,
  money,
  isCurrency,
  currencyExponent,
  addMoney,
  subtractMoney,
  allocate,
  toDecimalString,
  fromDecimalString,
} from './money.js';
export { type IsoDate, addMonths, addDays, daysBetween, isLeapYear } from './dates.js';
export { type DayCount, DAY_COUNTS, yearFraction } from './day-count.js';
export * from './examples/index.js';
export * from './emissions/index.js';
export * from './apr/index.js';
export * from './green-score/index.js';
export * from './schedule/index.js';
export * from './pricing/index.js';
export * from './cash-flow/index.js';
