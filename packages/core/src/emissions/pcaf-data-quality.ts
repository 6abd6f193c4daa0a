/**
 * PCAF data-quality scores for business loans and unlisted equity (PCAF Global GHG Accounting and
 * Reporting Standard Part A, 2nd edition, December 2022, §5.2 Table 5-7; listed companies use the
 * same scale with EVIC, Table 5-3), and the outstanding-weighted average score PCAF asks
 * institutions to publish (Chapter 6, Box 8).
 */
import { ErrorCode, GreenfinError, assertFinite, invariant } from '../errors.js';
import { assertCurrency, assertMinorUnits, isNonNegativeMoneyIn, type Money } from '../money.js';

/** 1 = highest data quality (verified reported emissions) … 5 = lowest (sector averages). */
export type PcafDataQualityScore = 1 | 2 | 3 | 4 | 5;

export const PCAF_DATA_QUALITY_SCORES: readonly PcafDataQualityScore[] = [1, 2, 3, 4, 5];

/** What a score means: the PCAF options it stands for and when each applies. */
export interface PcafDataQuality {
  readonly score: PcafDataQualityScore;
  /** PCAF option codes (Table 5-7): 1a, 1b, 2a, 2b, 3a, 3b, 3c. */
  readonly options: readonly string[];
  readonly description: string;
}

/**
 * PCAF Part A Table 5-7 (business loans and unlisted equity), paraphrased. Score 2 covers two
 * options: unverified reported emissions (1b) and emissions computed from the company's metered
 * energy use with specific factors (2a).
 */
export const PCAF_DATA_QUALITY: Readonly<Record<PcafDataQualityScore, PcafDataQuality>> = Object.freeze({
  1: {
    score: 1,
    options: ['1a'],
    description:
      'Option 1a, reported emissions: verified (third-party audited) emissions of the company; outstanding amount and total equity + debt (EVIC if listed) known.',
  },
  2: {
    score: 2,
    options: ['1b', '2a'],
    description:
      'Option 1b, reported emissions: unverified emissions calculated by the company; or option 2a, physical activity-based: emissions calculated from the company’s primary energy-consumption data and specific emission factors, plus process emissions.',
  },
  3: {
    score: 3,
    options: ['2b'],
    description:
      'Option 2b, physical activity-based: emissions calculated from the company’s primary production data and emission factors specific to it.',
  },
  4: {
    score: 4,
    options: ['3a'],
    description:
      'Option 3a, economic activity-based: the company’s revenue × a sector emission factor per unit of revenue; outstanding amount and total equity + debt known.',
  },
  5: {
    score: 5,
    options: ['3b', '3c'],
    description:
      'Options 3b/3c, economic activity-based: only the outstanding amount is known; sector emission factor per unit of asset (3b), or per unit of revenue with a sector asset-turnover ratio (3c).',
  },
});

/** Asserts a PCAF data-quality score (an integer 1–5). */
export function assertDataQualityScore(value: unknown, path: string): asserts value is PcafDataQualityScore {
  if (!(typeof value === 'number' && (PCAF_DATA_QUALITY_SCORES as readonly number[]).includes(value))) {
    throw new GreenfinError(
      ErrorCode.InvalidOption,
      path,
      `must be a PCAF data-quality score 1, 2, 3, 4 or 5, got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * The meaning of a PCAF data-quality score (PCAF Part A §5.2, Table 5-7).
 *
 * @example pcafDataQuality(2).options // ['1b', '2a']
 */
export function pcafDataQuality(score: PcafDataQualityScore): PcafDataQuality {
  assertDataQualityScore(score, 'score');
  return PCAF_DATA_QUALITY[score];
}

/** One loan or year in a weighted data-quality average. */
export interface WeightedScoreItem {
  readonly outstanding: Money;
  readonly score: PcafDataQualityScore;
}

/** Whether `item` is a valid {@link WeightedScoreItem} in `currency` (no message built). */
function isPlainScoreItem(item: WeightedScoreItem, currency: unknown): boolean {
  return (
    isNonNegativeMoneyIn(item?.outstanding, currency) &&
    (PCAF_DATA_QUALITY_SCORES as readonly unknown[]).includes(item.score)
  );
}

/** Throws for the first invalid field of `item` (at `p`). */
function checkScoreItem(item: WeightedScoreItem, p: string, currency: unknown): void {
  invariant(
    typeof item?.outstanding === 'object' && item.outstanding !== null,
    ErrorCode.Required,
    `${p}.outstanding`,
    'must be a money value { amount, currency }',
  );
  assertMinorUnits(item.outstanding.amount, `${p}.outstanding.amount`);
  invariant(item.outstanding.amount >= 0, ErrorCode.OutOfRange, `${p}.outstanding.amount`, 'must be ≥ 0');
  assertCurrency(item.outstanding.currency, `${p}.outstanding.currency`);
  invariant(
    item.outstanding.currency === currency,
    ErrorCode.CurrencyMismatch,
    `${p}.outstanding.currency`,
    `cannot weight ${item.outstanding.currency} with ${String(currency)}`,
  );
  assertDataQualityScore(item.score, `${p}.score`);
}

/**
 * Outstanding-weighted average data-quality score, Σ(outstanding × score) / Σ outstanding (PCAF
 * Part A Chapter 6, "Data and data quality", Box 8). Null when nothing is outstanding. All
 * amounts must share a currency.
 *
 * @example
 * weightedDataQualityScore([
 *   { outstanding: money(300, 'GBP'), score: 1 },
 *   { outstanding: money(100, 'GBP'), score: 5 },
 * ]); // 2
 */
export function weightedDataQualityScore(items: readonly WeightedScoreItem[], path = 'items'): number | null {
  invariant(Array.isArray(items), ErrorCode.InvalidType, path, 'must be an array');
  let weighted = 0;
  let total = 0;
  let currency: string | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    currency ??= item?.outstanding?.currency;
    // The common, valid item is checked without building its paths; any other goes through
    // checkScoreItem, which names the first field at fault.
    if (!isPlainScoreItem(item, currency)) checkScoreItem(item, `${path}[${i}]`, currency);
    weighted += item.outstanding.amount * item.score;
    total += item.outstanding.amount;
  }
  if (total === 0) return null;
  const score = weighted / total;
  assertFinite(score, path);
  return score;
}
