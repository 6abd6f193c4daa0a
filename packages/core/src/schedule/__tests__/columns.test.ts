/**
 * The columns form of a schedule is lossless: every schedule the library builds comes back row for
 * row, and a malformed column set is refused with the field that is wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GreenfinError } from '../../errors.js';
import { fromScheduleColumns, toScheduleColumns } from '../columns.js';
import { schedule } from '../schedule.js';

/** A small schedule: £100 at 5 % over three months. */
const threeRows = () =>
  schedule({ principal: 10_000, currency: 'GBP', annualRate: 0.05, payments: 3, startDate: '2024-01-01' })
    .installments;

describe('schedule columns', () => {
  it('round-trips any schedule, through JSON too, in a third of the bytes or less for 12+ rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 2000 }).map((bp) => bp / 10_000),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom('annuity', 'linear', 'bullet', 'interest-only' as const),
        (principal, annualRate, payments, method) => {
          const rows = schedule({
            principal,
            currency: 'GBP',
            annualRate,
            payments,
            method,
            startDate: '2024-01-31',
          }).installments;
          const columns = toScheduleColumns(rows);
          expect(fromScheduleColumns(columns)).toEqual(rows);
          // Through JSON, as the rows themselves would come back (JSON has no −0).
          const viaJson = JSON.parse(JSON.stringify(rows)) as unknown;
          expect(fromScheduleColumns(JSON.parse(JSON.stringify(columns)))).toEqual(viaJson);
          if (payments >= 12) {
            expect(JSON.stringify(columns).length * 2).toBeLessThan(JSON.stringify(rows).length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns rows given as rows unchanged (stores holding both forms)', () => {
    const rows = threeRows();
    expect(fromScheduleColumns(rows)).toBe(rows);
  });

  it('refuses rows out of order and columns of different lengths, naming the field', () => {
    const rows = threeRows();
    expect(() => toScheduleColumns([rows[1]!, rows[0]!])).toThrow(GreenfinError);
    const columns = toScheduleColumns(rows);
    const broken = { ...columns, balance: columns.balance.slice(1) };
    expect(() => fromScheduleColumns(broken)).toThrow(/balance: must have 3 entries, got 2/);
  });
});
