/**
 * KeyLines (the import's natural key → first line table) against JavaScript's own Map, the
 * reference for what a map is: the same answers after any sequence of sets and gets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyLines } from '../src/activities/imports/key-lines.js';

describe('KeyLines', () => {
  it('answers like a Map for any sequence of sets and gets, across growth and colliding prefixes', () => {
    // Few distinct characters: many keys share prefixes, lengths and probe sequences.
    const key = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é', '\u{1F600}'), maxLength: 6 }),
      fc.integer({ min: 0, max: 3000 }).map((n) => `emissions/DE_${n}/2013`),
    );
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), key, fc.integer({ min: 0, max: 0x7fffffff })),
      fc.tuple(fc.constant('get' as const), key, fc.constant(0)),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 4000 }), (ops) => {
        const table = new KeyLines();
        const reference = new Map<string, number>();
        for (const [kind, k, line] of ops) {
          if (kind === 'set') {
            table.set(k, line);
            reference.set(k, line);
          } else {
            expect(table.get(k)).toBe(reference.get(k));
          }
        }
        expect(table.size).toBe(reference.size);
        for (const [k, line] of reference) expect(table.get(k)).toBe(line);
      }),
      { numRuns: 60 },
    );
  });

  it('claim: returns an earlier line unchanged, else stores this one (as get-then-set with "earlier" meaning before)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }).map(String), fc.integer({ min: 0, max: 100 })), {
          maxLength: 500,
        }),
        (claims) => {
          const table = new KeyLines();
          const reference = new Map<string, number>();
          for (const [k, line] of claims) {
            const seen = reference.get(k);
            const expected = seen !== undefined && seen < line ? seen : -1;
            if (expected < 0) reference.set(k, line);
            expect(table.claim(k, line)).toBe(expected);
          }
          for (const [k, line] of reference) expect(table.get(k)).toBe(line);
        },
      ),
    );
  });

  it('holds 300,000 keys exactly and tells apart keys that differ in one character', () => {
    const table = new KeyLines();
    for (let i = 0; i < 300_000; i++) table.set(`emissions/DE_${100000 + (i >> 3)}/${2013 + (i & 7)}`, i + 2);
    expect(table.size).toBe(300_000);
    expect(table.get('emissions/DE_100000/2013')).toBe(2);
    expect(table.get('emissions/DE_137499/2020')).toBe(300_001);
    expect(table.get('emissions/DE_100000/2021')).toBeUndefined();
    expect(table.get('emissions/DE_100000/201')).toBeUndefined();
    expect(table.get('')).toBeUndefined();
  });

  it('tells apart keys whose 32-bit hashes collide (pairs found by searching)', () => {
    const table = new KeyLines();
    // Same length, same FNV-1a hash (1751610261): only the comparison of their characters differs.
    table.set('emissions/DE_1479599/2013', 10);
    expect(table.get('emissions/DE_1662382/2013')).toBeUndefined();
    table.set('emissions/DE_1662382/2013', 20);
    // Different lengths, same hash (686704784).
    table.set('emissions/DE_495096/2013', 30);
    expect(table.get('emissions/DE_1042000/2013')).toBeUndefined();
    expect([
      table.get('emissions/DE_1479599/2013'),
      table.get('emissions/DE_1662382/2013'),
      table.get('emissions/DE_495096/2013'),
    ]).toEqual([10, 20, 30]);
    expect(table.size).toBe(3);
  });

  it('refuses a line that is not a non-negative 32-bit integer', () => {
    const table = new KeyLines();
    expect(() => table.set('k', -1)).toThrow(RangeError);
    expect(() => table.set('k', 2 ** 31)).toThrow(RangeError);
    expect(() => table.set('k', 1.5)).toThrow(RangeError);
    expect(table.size).toBe(0);
  });
});
