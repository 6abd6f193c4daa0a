import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { ErrorCode, GreenfinError } from '../../errors.js';
import { categorise, type CategoryRule } from '../categorise.js';
import type { Transaction } from '../transaction.js';
import { transactionArb } from './arbitraries.js';

const tx = (description: string, amount = -4599, extra: Partial<Transaction> = {}): Transaction => ({
  accountRef: 'acc-1',
  bookingDate: '2025-01-06',
  amount,
  currency: 'GBP',
  description,
  ...extra,
});
const rule = (
  r: Partial<CategoryRule> & Pick<CategoryRule, 'id' | 'pattern' | 'category'>,
): CategoryRule => ({
  field: 'description',
  match: 'keyword',
  priority: 0,
  ...r,
});

function errorOf(fn: () => unknown): GreenfinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GreenfinError) return e;
    throw e;
  }
  throw new Error('expected a GreenfinError');
}

describe('categorise', () => {
  it('keyword rules match whole normalised words, not parts of words', () => {
    const rules = [rule({ id: 'tax', pattern: 'HMRC VAT', category: 'tax' })];
    const [a, b, c] = categorise([tx('hmrc  vat ref 123'), tx('HMRC*VAT'), tx('HMRCVAT ADVISORY')], rules);
    expect([a!.category, b!.category, c!.category]).toEqual(['tax', 'tax', undefined]);
    expect(c!.matchedRuleId).toBeNull();
    const [taxi] = categorise([tx('UBER TAXI')], [rule({ id: 't', pattern: 'tax', category: 'tax' })]);
    expect(taxi!.category).toBeUndefined();
  });

  it('regex rules test the raw field case-insensitively', () => {
    const rules = [rule({ id: 'inv', match: 'regex', pattern: '^BGC .* INV-\\d+$', category: 'sales' })];
    const [a, b] = categorise([tx('bgc brum heating inv-2411', 100), tx('BGC BRUM HEATING')], rules);
    expect(a!.category).toBe('sales');
    expect(b!.category).toBeUndefined();
  });

  it('the highest priority wins; equal priorities go to the smaller id', () => {
    const t = tx('DD OCTOPUS ENERGY LTD');
    const low = rule({ id: 'a-energy', pattern: 'energy', category: 'energy', priority: 1 });
    const high = rule({ id: 'z-octopus', pattern: 'octopus energy', category: 'utilities', priority: 5 });
    expect(categorise([t], [low, high])[0]!.matchedRuleId).toBe('z-octopus');
    expect(categorise([t], [high, low])[0]!.matchedRuleId).toBe('z-octopus');
    const tieB = rule({ id: 'b', pattern: 'octopus', category: 'B', priority: 5 });
    const tieA = rule({ id: 'a', pattern: 'energy', category: 'A', priority: 5 });
    expect(categorise([t], [tieB, tieA])[0]!.category).toBe('A');
    expect(categorise([t], [tieA, tieB])[0]!.category).toBe('A');
  });

  it('amountSign restricts a rule to inflows or outflows', () => {
    const rules = [
      rule({ id: 'in', pattern: 'transfer', category: 'transfer-in', amountSign: 'inflow', priority: 1 }),
      rule({ id: 'out', pattern: 'transfer', category: 'transfer-out', amountSign: 'outflow' }),
    ];
    const [i, o, z] = categorise([tx('TRANSFER', 100), tx('TRANSFER', -100), tx('TRANSFER', 0)], rules);
    expect([i!.category, o!.category, z!.category]).toEqual(['transfer-in', 'transfer-out', undefined]);
  });

  it('counterparty rules read the counterparty and skip transactions without one', () => {
    const rules = [
      rule({ id: 'cp', field: 'counterparty', pattern: 'Octopus Energy', category: 'utilities' }),
    ];
    const [a, b] = categorise(
      [tx('DD 1234', -10, { counterparty: 'Octopus Energy Ltd' }), tx('Octopus Energy')],
      rules,
    );
    expect(a!.category).toBe('utilities');
    expect(b!.category).toBeUndefined();
  });

  it('a manual category is kept; an imported one is replaced by a rule or kept with no match', () => {
    const rules = [rule({ id: 'u', pattern: 'octopus', category: 'utilities' })];
    const [m, imp, kept] = categorise(
      [
        tx('OCTOPUS', -1, { category: 'office', categorySource: 'manual' }),
        tx('OCTOPUS', -1, { category: 'bank-said' }),
        tx('SOMETHING ELSE', -1, { category: 'bank-said' }),
      ],
      rules,
    );
    expect(m).toMatchObject({ category: 'office', categorySource: 'manual', matchedRuleId: null });
    expect(m!.categoryExplanation).toContain('manual');
    expect(imp).toMatchObject({ category: 'utilities', categorySource: 'rule', matchedRuleId: 'u' });
    expect(imp!.categoryExplanation).toContain('"u"');
    expect(kept).toMatchObject({ category: 'bank-said', categorySource: 'import', matchedRuleId: null });
  });

  it('does not modify its input', () => {
    const t = tx('OCTOPUS');
    const frozen = Object.freeze({ ...t });
    categorise([frozen], [rule({ id: 'u', pattern: 'octopus', category: 'utilities' })]);
    expect(frozen).toEqual(t);
  });

  it.each([
    [{ match: 'regex', pattern: '(unclosed' }, ErrorCode.InvalidPattern, 'rules[1].pattern'],
    [{ pattern: '' }, ErrorCode.Required, 'rules[1].pattern'],
    [{ pattern: '--' }, ErrorCode.InvalidPattern, 'rules[1].pattern'],
    [{ field: 'memo' }, ErrorCode.InvalidOption, 'rules[1].field'],
    [{ match: 'fuzzy' }, ErrorCode.InvalidOption, 'rules[1].match'],
    [{ amountSign: 'both' }, ErrorCode.InvalidOption, 'rules[1].amountSign'],
    [{ priority: Number.NaN }, ErrorCode.InvalidType, 'rules[1].priority'],
    [{ category: ' ' }, ErrorCode.Required, 'rules[1].category'],
    [{ id: 'first' }, ErrorCode.Duplicate, 'rules[1].id'],
  ])('rejects a bad rule %j with its path', (patch, code, path) => {
    const good = rule({ id: 'first', pattern: 'a', category: 'x' });
    const bad = { ...rule({ id: 'second', pattern: 'b', category: 'y' }), ...patch } as CategoryRule;
    expect(errorOf(() => categorise([tx('a')], [good, bad]))).toMatchObject({ code, path });
  });

  const rulesArb = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      field: fc.constantFrom('description' as const, 'counterparty' as const),
      match: fc.constant('keyword' as const),
      pattern: fc.constantFrom('coffee', 'octopus', 'payroll', 'invoice', 'staff'),
      amountSign: fc.constantFrom('inflow' as const, 'outflow' as const, 'any' as const),
      category: fc.constantFrom('food', 'utilities', 'payroll', 'sales'),
      priority: fc.integer({ min: -3, max: 3 }),
    }),
    { selector: (r) => r.id, maxLength: 8 },
  );

  test.prop([fc.array(transactionArb(), { maxLength: 40 }), rulesArb])(
    'never overwrites a manual category, and a rule match is the best matching rule',
    (txs, rules) => {
      const out = categorise(txs, rules);
      out.forEach((t, i) => {
        const input = txs[i]!;
        const text = (r: CategoryRule) =>
          r.field === 'description' ? input.description : input.counterparty;
        const matches = (r: CategoryRule) =>
          (text(r) ?? '')
            .toLowerCase()
            .split(/[^a-z0-9]+/)
            .includes(r.pattern) &&
          (r.amountSign === 'any' || (r.amountSign === 'inflow' ? input.amount > 0 : input.amount < 0));
        if (input.categorySource === 'manual') {
          expect(t.category).toBe(input.category);
          expect(t.categorySource).toBe('manual');
          expect(t.matchedRuleId).toBeNull();
        } else if (t.matchedRuleId !== null) {
          const winner = rules.find((r) => r.id === t.matchedRuleId)!;
          expect(t.category).toBe(winner.category);
          // No matching rule ranks above the winner (checked by brute force).
          expect(matches(winner)).toBe(true);
          for (const r of rules) {
            if (matches(r)) {
              expect(
                r.priority < winner.priority || (r.priority === winner.priority && r.id >= winner.id),
              ).toBe(true);
            }
          }
        } else {
          for (const r of rules) expect(matches(r)).toBe(false);
        }
      });
    },
  );
});
