import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ErrorCode } from '../../errors.js';
import { dedupHash, normaliseDescription, transactionDedupKeys } from '../dedup.js';
import { sha256Hex } from '../sha256.js';
import type { Transaction } from '../transaction.js';
import { transactionArb } from './arbitraries.js';

const coffee: Transaction = {
  accountRef: 'acc-1',
  bookingDate: '2025-03-04',
  amount: -240,
  currency: 'GBP',
  description: 'CARD PAYMENT - COSTA COFFEE',
};

describe('normaliseDescription', () => {
  it.each([
    ['  CARD PAYMENT - TESCO*Stores  ', 'card payment tesco stores'],
    ['Card  payment\ttesco stores', 'card payment tesco stores'],
    ['FP COPPER & CO. METALS', 'fp copper co metals'],
    ['ＴＥＳＣＯ', 'tesco'], // full-width letters fold under NFKC
    ['Café Nero', 'café nero'],
    ['***', ''],
  ])('%j → %j', (raw, normalised) => {
    expect(normaliseDescription(raw)).toBe(normalised);
  });
});

describe('transactionDedupKeys', () => {
  it('builds account | date | currency | amount | description | n, and numbers true repeats', () => {
    const keys = transactionDedupKeys([
      coffee,
      { ...coffee, description: 'card payment costa coffee' },
      coffee,
    ]);
    expect(keys).toEqual([
      'tx1|acc-1|2025-03-04|GBP|-240|card payment costa coffee|1',
      'tx1|acc-1|2025-03-04|GBP|-240|card payment costa coffee|2',
      'tx1|acc-1|2025-03-04|GBP|-240|card payment costa coffee|3',
    ]);
  });

  it('any difference in account, date, amount, currency or words gives a different identity', () => {
    const variants: Transaction[] = [
      coffee,
      { ...coffee, accountRef: 'acc-2' },
      { ...coffee, bookingDate: '2025-03-05' },
      { ...coffee, amount: -241 },
      { ...coffee, currency: 'EUR' },
      { ...coffee, description: 'COSTA COFFEE' },
    ];
    const keys = variants.map((t) => transactionDedupKeys([t])[0]);
    expect(new Set(keys).size).toBe(variants.length);
    expect(keys.every((k) => k!.endsWith('|1'))).toBe(true);
  });

  it('escapes the separator so fields cannot run into each other', () => {
    const a = transactionDedupKeys([{ ...coffee, accountRef: 'a|2025-03-04' }])[0];
    const b = transactionDedupKeys([{ ...coffee, accountRef: 'a', description: '2025-03-04|x' }])[0];
    expect(a).toContain('a\\|2025-03-04');
    expect(a).not.toBe(b);
  });

  it('validates its input', () => {
    expect(() => transactionDedupKeys([{ ...coffee, amount: 2.4 }])).toThrow(
      expect.objectContaining({ code: ErrorCode.NotMinorUnits, path: 'transactions[0].amount' }),
    );
  });

  test.prop([fc.array(transactionArb(20), { maxLength: 60 })])(
    're-importing the same file yields the same keys, and keys within a file are distinct',
    (txs) => {
      const keys = transactionDedupKeys(txs);
      expect(transactionDedupKeys(txs.map((t) => ({ ...t })))).toEqual(keys);
      expect(new Set(keys).size).toBe(txs.length);
    },
  );

  test.prop([fc.array(transactionArb(20), { maxLength: 60 }), fc.integer()])(
    'keys are stable under any reordering that keeps each day in its order',
    (txs, seed) => {
      const keyOf = new Map<Transaction, string>();
      transactionDedupKeys(txs).forEach((k, i) => keyOf.set(txs[i]!, k));
      // Shuffle whole days, then interleave them (a different file layout, same days).
      const days = [...new Set(txs.map((t) => t.bookingDate))];
      const rank = new Map(days.map((d, i) => [d, (i * 7919 + seed) % 1009]));
      const reordered = [...txs].sort((a, b) => rank.get(a.bookingDate)! - rank.get(b.bookingDate)!);
      const keys = transactionDedupKeys(reordered);
      reordered.forEach((t, i) => expect(keys[i]).toBe(keyOf.get(t)));
    },
  );

  test.prop([transactionArb(), fc.integer({ min: 2, max: 5 })])(
    'n identical transactions on one day get n distinct keys differing only in the sequence',
    (t, n) => {
      const keys = transactionDedupKeys(Array.from({ length: n }, () => t));
      expect(new Set(keys).size).toBe(n);
      const stems = keys.map((k) => k.slice(0, k.lastIndexOf('|')));
      expect(new Set(stems).size).toBe(1);
      expect(keys.map((k) => k.slice(k.lastIndexOf('|') + 1))).toEqual(
        Array.from({ length: n }, (_, i) => String(i + 1)),
      );
    },
  );
});

describe('dedupHash', () => {
  it('is the SHA-256 hex of the key: 64 hex digits', () => {
    const [key] = transactionDedupKeys([coffee]);
    expect(dedupHash(key!)).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupHash(key!)).toBe(sha256Hex(key!));
    expect(dedupHash(key!)).not.toBe(dedupHash(`${key!.slice(0, -1)}2`));
  });
});
