/**
 * Rate arithmetic without float drift: 0.045 + 0.025 − 0.005 is 0.06499999999999999 in binary
 * floating point. Rates are snapped to 1e-10 (a millionth of a basis point) after every sum, which
 * keeps them exact at any precision a rate sheet or a regulator publishes.
 */
const RATE_QUANTUM = 1e10;

/** Snaps a rate to 1e-10 so sums of decimal rates stay the decimals they mean. */
export function normaliseRate(rate: number): number {
  const r = Math.round(rate * RATE_QUANTUM) / RATE_QUANTUM;
  return r === 0 ? 0 : r;
}

/** Sums rates (fractions) and snaps the result. */
export function addRates(...rates: number[]): number {
  return normaliseRate(rates.reduce((s, r) => s + r, 0));
}

/** Percentage points → fraction: `pp(0.5)` = 0.005. */
export function pp(percentagePoints: number): number {
  return normaliseRate(percentagePoints / 100);
}
