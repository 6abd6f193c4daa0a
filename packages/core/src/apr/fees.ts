/**
 * Turning a loan's charges into the dated cash flows the APR equation takes as "payments of
 * charges" (Annex I) or finance charges (Regulation Z).
 */
import { ErrorCode, invariant } from '../errors.js';
import { parseDate, type IsoDate } from '../dates.js';
import { assertMinorUnits } from '../money.js';
import { type CashFlow } from './apr.js';

/** When the consumer pays the arrangement fee. */
export type ArrangementFeeTiming = 'at-drawdown' | 'with-first-payment';

/** A loan's charges, in minor units of its currency. */
export interface AprFees {
  /** One-off arrangement (origination) fee. */
  readonly arrangementFee?: number;
  /**
   * `'at-drawdown'` (default): deducted from, or paid on the day of, the drawdown — the same as a
   * smaller advance; `'with-first-payment'`: added to the first repayment.
   */
  readonly arrangementFeeTiming?: ArrangementFeeTiming;
  /** Account or service fee charged with every repayment. */
  readonly feePerPayment?: number;
}

function assertFee(amount: unknown, path: string): number {
  if (amount === undefined) return 0;
  assertMinorUnits(amount, path);
  invariant(amount >= 0, ErrorCode.OutOfRange, path, `must be ≥ 0 minor units, got ${amount}`);
  return amount;
}

/**
 * The dated charges for {@link AprInput.fees}: the arrangement fee on the drawdown date or the first
 * payment date, and the per-payment fee on every payment date. Zero fees produce no cash flow.
 *
 * @example
 * loanFeeCashFlows({ arrangementFee: 50_000, feePerPayment: 500 }, '2025-01-15', ['2025-02-15', '2025-03-15']);
 * // [{ amount: 50000, date: '2025-01-15' }, { amount: 500, date: '2025-02-15' }, { amount: 500, date: '2025-03-15' }]
 */
export function loanFeeCashFlows(
  fees: AprFees,
  drawdownDate: IsoDate,
  paymentDates: readonly IsoDate[],
): CashFlow[] {
  const arrangement = assertFee(fees.arrangementFee, 'fees.arrangementFee');
  const perPayment = assertFee(fees.feePerPayment, 'fees.feePerPayment');
  const timing = fees.arrangementFeeTiming ?? 'at-drawdown';
  invariant(
    timing === 'at-drawdown' || timing === 'with-first-payment',
    ErrorCode.InvalidOption,
    'fees.arrangementFeeTiming',
    `must be 'at-drawdown' or 'with-first-payment', got ${JSON.stringify(timing)}`,
  );
  parseDate(drawdownDate, 'drawdownDate');
  paymentDates.forEach((date, k) => parseDate(date, `paymentDates[${k}]`));
  const flows: CashFlow[] = [];
  if (arrangement > 0) {
    const date = timing === 'at-drawdown' ? drawdownDate : paymentDates[0];
    invariant(
      date !== undefined,
      ErrorCode.Required,
      'paymentDates',
      'needs a first payment date for the fee',
    );
    flows.push({ amount: arrangement, date });
  }
  if (perPayment > 0) for (const date of paymentDates) flows.push({ amount: perPayment, date });
  return flows;
}
