/**
 * Response projections (src/http/projection.ts) against zod's own `parse`, the reference: the same
 * output for every body parse accepts, and an error wherever parse throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from '../src/http/zod.js';
import { projection } from '../src/http/projection.js';

const Money = z.object({ amount: z.string(), currency: z.enum(['GBP', 'EUR']) });
const Schema = z.object({
  id: z.string(),
  count: z.number(),
  flag: z.boolean().optional(),
  note: z.string().nullable(),
  tags: z.array(z.string()).default([]),
  money: Money,
  rows: z.array(z.object({ n: z.number(), kind: z.literal('row') })),
  extra: z.record(z.string(), Money).optional(),
  either: z.union([z.string(), z.number()]).optional(),
  maybe: z.union([Money, z.null()]).optional(),
  band: z.union([z.null(), z.enum(['A', 'B'])]).optional(),
  refined: z
    .string()
    .refine((s) => s.length > 0, 'empty')
    .optional(),
  anything: z.unknown(),
  free: z.object({ a: z.number() }).passthrough().optional(),
});

const json = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const body = fc.record(
  {
    id: fc.string(),
    count: fc.double({ noNaN: true, noDefaultInfinity: true }),
    flag: fc.boolean(),
    note: fc.option(fc.string(), { nil: null }),
    tags: fc.array(fc.string(), { maxLength: 3 }),
    money: fc.record({ amount: fc.string(), currency: fc.constantFrom('GBP', 'EUR'), secret: fc.string() }),
    rows: fc.array(fc.record({ n: fc.integer(), kind: fc.constant('row'), hidden: json }), { maxLength: 3 }),
    extra: fc.dictionary(
      fc.string({ maxLength: 3 }),
      fc.record({ amount: fc.string(), currency: fc.constant('EUR') }),
    ),
    either: fc.oneof(fc.string(), fc.integer()),
    maybe: fc.option(fc.record({ amount: fc.string(), currency: fc.constant('GBP'), extra: fc.string() }), {
      nil: null,
    }),
    band: fc.constantFrom(null, 'A', 'B'),
    refined: fc.string({ minLength: 1 }),
    anything: json,
    free: fc.record({ a: fc.integer(), kept: fc.string() }),
    passwordHash: fc.string(),
  },
  { requiredKeys: ['id', 'count', 'note', 'money', 'rows', 'anything'] },
);

describe('response projection', () => {
  it('gives what zod parse gives for any body parse accepts (undocumented keys dropped, defaults filled)', () => {
    const project = projection(Schema);
    fc.assert(
      fc.property(body, (b) => {
        const parsed = Schema.safeParse(b);
        fc.pre(parsed.success);
        expect(project(b)).toStrictEqual(parsed.data);
      }),
      { numRuns: 300 },
    );
  });

  it('throws where zod parse throws: a wrong leaf type, a missing required field, a failed refinement', () => {
    const project = projection(Schema);
    const good = { id: 'x', count: 1, note: null, money: { amount: '1.00', currency: 'GBP' }, rows: [] };
    expect(project(good)).toStrictEqual(Schema.parse(good));
    for (const bad of [
      { ...good, count: '1' },
      { ...good, id: undefined },
      { ...good, money: { amount: '1.00', currency: 'USD' } },
      { ...good, rows: [{ n: 1, kind: 'col' }] },
      { ...good, refined: '' },
      { ...good, count: Number.NaN },
      { ...good, maybe: { amount: 1, currency: 'GBP' } },
      { ...good, band: 'C' },
      'not an object',
    ]) {
      expect(() => Schema.parse(bad)).toThrow();
      expect(() => project(bad)).toThrow();
    }
  });

  it('never lets an undocumented key through, at any depth', () => {
    const out = projection(Schema)({
      id: 'x',
      count: 1,
      note: 'n',
      money: { amount: '1.00', currency: 'GBP', hash: 'h' },
      rows: [{ n: 1, kind: 'row', hash: 'h' }],
      hash: 'h',
    });
    expect(JSON.stringify(out)).not.toContain('hash');
  });
});
