import { fc } from '@fast-check/vitest';
import type { Transaction } from '../transaction.js';

const EPOCH = Date.UTC(2024, 0, 1);
/** ISO date `days` after 2024-01-01, computed with the platform's Date (independent of core). */
export const isoDay = (days: number) => new Date(EPOCH + days * 86_400_000).toISOString().slice(0, 10);

export const transactionArb = (maxDay = 500): fc.Arbitrary<Transaction> =>
  fc
    .record(
      {
        accountRef: fc.constantFrom('acc-1', 'acc-2', 'acc|3'),
        bookingDate: fc.integer({ min: 0, max: maxDay }).map(isoDay),
        amount: fc.integer({ min: -10_000_000, max: 10_000_000 }),
        currency: fc.constant('GBP' as const),
        description: fc.constantFrom(
          'COSTA COFFEE',
          'costa  coffee',
          'Invoice 17',
          'PAYROLL',
          'DD OCTOPUS ENERGY',
          '',
        ),
        counterparty: fc.constantFrom('Costa', 'Octopus Energy', 'Staff', 'Brum Heating'),
        category: fc.constantFrom('utilities', 'payroll', 'sales'),
        categorySource: fc.constantFrom('manual' as const, 'import' as const),
      },
      { requiredKeys: ['accountRef', 'bookingDate', 'amount', 'currency', 'description'] },
    )
    .map((t) => {
      // categorySource needs a category.
      if (t.categorySource !== undefined && t.category === undefined)
        return { ...t, categorySource: undefined };
      return t;
    }) as fc.Arbitrary<Transaction>;
