import { describe, expect, it } from 'vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { money } from '../../money.js';
import { PCAF_DATA_QUALITY, pcafDataQuality, weightedDataQualityScore } from '../pcaf-data-quality.js';

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

describe('PCAF Part A (2nd ed.) §5.2 Table 5-7: data-quality scores for business loans and unlisted equity', () => {
  it('maps each score to its options: 1 → 1a, 2 → 1b/2a, 3 → 2b, 4 → 3a, 5 → 3b/3c', () => {
    expect([1, 2, 3, 4, 5].map((s) => PCAF_DATA_QUALITY[s as 1].options)).toEqual([
      ['1a'],
      ['1b', '2a'],
      ['2b'],
      ['3a'],
      ['3b', '3c'],
    ]);
    expect(pcafDataQuality(1).description).toMatch(/verified/i);
    expect(pcafDataQuality(2).description).toMatch(/unverified/i);
    expect(pcafDataQuality(3).description).toMatch(/production/i);
    expect(pcafDataQuality(4).description).toMatch(/revenue/i);
    expect(pcafDataQuality(5).description).toMatch(/asset/i);
    expect(errorOf(() => pcafDataQuality(0 as 1))).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'score',
    });
  });
});

describe('PCAF Part A (2nd ed.) Chapter 6, Box 8: weighted data-quality score by outstanding amount', () => {
  // Box 8's illustrative business-loan book (outstanding loan, score). The publication prints the
  // results to two decimals (and its denominator has a typo, 108,977 for 108,997 — either gives 3.03),
  // so we compare at that precision. Amounts are taken as GBP minor units; the ratio is unit-free.
  const loans = [
    { company: 'A (oil & gas)', outstanding: 522_425, score: 3 },
    { company: 'B (oil & gas)', outstanding: 187_449, score: 5 },
    { company: 'C (cattle)', outstanding: 82_778, score: 1 },
    { company: 'D (cattle)', outstanding: 108_997, score: 1 },
    { company: 'E (cattle)', outstanding: 67_556, score: 2 },
    { company: 'F (cattle)', outstanding: 54_762, score: 5 },
  ] as const;
  const items = loans.map((l) => ({ outstanding: money(l.outstanding, 'GBP'), score: l.score }));

  it('business loans, scope 1 and 2: 3.03', () => {
    expect(weightedDataQualityScore(items)!.toFixed(2)).toBe('3.03');
  });
  it('oil & gas sector, scope 1 and 2: 3.53', () => {
    expect(weightedDataQualityScore(items.slice(0, 2))!.toFixed(2)).toBe('3.53');
  });
  it('is null when nothing is outstanding, and refuses mixed currencies', () => {
    expect(weightedDataQualityScore([{ outstanding: money(0, 'GBP'), score: 2 }])).toBeNull();
    expect(weightedDataQualityScore([])).toBeNull();
    expect(
      errorOf(() =>
        weightedDataQualityScore([
          { outstanding: money(1, 'GBP'), score: 2 },
          { outstanding: money(1, 'EUR'), score: 2 },
        ]),
      ),
    ).toMatchObject({ code: ErrorCode.CurrencyMismatch, path: 'items[1].outstanding.currency' });
    expect(
      errorOf(() => weightedDataQualityScore([{ outstanding: money(1, 'GBP'), score: 2.5 as 2 }])),
    ).toMatchObject({
      code: ErrorCode.InvalidOption,
      path: 'items[0].score',
    });
  });
  it.each([
    ['a null item', [null], ErrorCode.Required, 'items[0].outstanding'],
    [
      'a fractional amount',
      [{ outstanding: { amount: 1.5, currency: 'GBP' }, score: 1 }],
      ErrorCode.NotMinorUnits,
      'items[0].outstanding.amount',
    ],
    [
      'a negative amount',
      [
        { outstanding: money(1, 'GBP'), score: 1 },
        { outstanding: { amount: -1, currency: 'GBP' }, score: 1 },
      ],
      ErrorCode.OutOfRange,
      'items[1].outstanding.amount',
    ],
    [
      'an unknown currency',
      [{ outstanding: { amount: 1, currency: 'XXY' }, score: 1 }],
      ErrorCode.UnknownCurrency,
      'items[0].outstanding.currency',
    ],
  ])('names the field at fault: %s', (_name, items, code, path) => {
    expect(errorOf(() => weightedDataQualityScore(items as never, 'items'))).toMatchObject({ code, path });
  });
});
