/**
 * COPY text for numbers: whatever numberText writes, PostgreSQL (like JavaScript's Number, both
 * round a decimal to the nearest double) reads back as the same number. JavaScript's own
 * `String` is the reference for which text denotes which double.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyText, numberText } from '../src/imports/datasets/copy-text.js';

describe('numberText', () => {
  it('reads back as exactly the number, for any finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(Number(numberText(n))).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes numbers of up to four decimals as plain decimals, read back exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -99_999_999, max: 99_999_999 }),
        fc.integer({ min: 1, max: 4 }),
        (m, k) => {
          const n = m / 10 ** k;
          const text = numberText(n);
          expect(Number(text)).toBe(n === 0 ? 0 : n);
          if (!Number.isInteger(n)) expect(text).toMatch(/^-?\d+\.\d{1,4}$/);
        },
      ),
      { numRuns: 20_000 },
    );
    expect([123456.7, -0.05, 0.0001, 2.5, 1e-7, 12].map(numberText)).toEqual([
      '123456.7',
      '-0.05',
      '0.0001',
      '2.5',
      '1e-7',
      '12',
    ]);
    expect(copyText(0.1 + 0.2)).toBe(String(0.1 + 0.2)); // 0.30000000000000004: more than 4 decimals
  });
});
