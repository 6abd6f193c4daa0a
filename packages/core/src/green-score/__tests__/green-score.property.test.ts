/**
 * The laws of the green score (docs/methodology/green-score.md, "Guarantees"), checked on random
 * companies with fast-check.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { greenScoreBand } from '../bands.js';
import { greenScore } from '../green-score.js';
import type { EmissionsTarget, EnvironmentalMetrics, GreenScoreInput } from '../input.js';
import type { GreenScoreComponentId } from '../methodology.js';
import type { GreenScoreResult } from '../types.js';

type Row = { -readonly [K in keyof EnvironmentalMetrics]: EnvironmentalMetrics[K] };
type Company = { sicCodes: string[]; metrics: Row[]; target?: EmissionsTarget | null };

const SICS = ['25210', '10110', '62012', '35110', '41201', '47110', '01110', '49410', '84110', '20110'];
const CURRENCIES = ['GBP', 'GBP', 'GBP', 'EUR', 'USD', 'JPY'] as const;

const tonnes = fc.double({ min: 0, max: 1e5, noNaN: true, noDefaultInfinity: true });
const positiveTonnes = fc.double({ min: 0.1, max: 1e5, noNaN: true, noDefaultInfinity: true });
const mwh = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
const share = fc.double({ min: 0, max: 1, noNaN: true });
const revenue = fc.record({
  amount: fc.integer({ min: 0, max: 1e12 }),
  currency: fc.constantFrom(...CURRENCIES),
});
const pcaf = fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, 5 as const);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 5 });

const fieldValues = {
  energyMwh: mwh,
  scope1Tco2e: tonnes,
  scope2Tco2e: tonnes,
  scope3Tco2e: tonnes,
  revenue,
  renewableShare: share,
  verified: fc.boolean(),
  pcafDataQuality: pcaf,
} as const;
type Field = keyof typeof fieldValues;
const FIELDS = Object.keys(fieldValues) as Field[];
const fieldAndValue = fc
  .constantFrom(...FIELDS)
  .chain((field) => (fieldValues[field] as fc.Arbitrary<unknown>).map((value) => ({ field, value })));

const targetArb: fc.Arbitrary<EmissionsTarget> = fc
  .record({
    baseYear: fc.integer({ min: 2015, max: 2024 }),
    span: fc.integer({ min: 1, max: 15 }),
    reduction: share,
    scopes: fc.constantFrom('scope1+2' as const, 'scope1+2+3' as const, 'scope1' as const, 'scope2' as const),
    validated: fc.boolean(),
  })
  .map(({ span, ...t }) => ({ ...t, targetYear: t.baseYear + span }));

/** Rows with every field possibly missing, years unique in 2016–2025. */
const rowsArb = (complete: boolean) =>
  fc.uniqueArray(fc.integer({ min: 2016, max: 2025 }), { minLength: 1, maxLength: 6 }).chain((years) =>
    fc.tuple(
      ...years.map((year) =>
        fc.record({
          year: fc.constant(year),
          energyMwh: complete ? mwh : maybe(mwh),
          scope1Tco2e: complete ? tonnes : maybe(tonnes),
          scope2Tco2e: complete ? tonnes : maybe(tonnes),
          scope3Tco2e: complete ? tonnes : maybe(tonnes),
          revenue: complete ? revenue : maybe(revenue),
          renewableShare: complete ? share : maybe(share),
          verified: complete ? fc.boolean() : maybe(fc.boolean()),
          pcafDataQuality: complete ? pcaf : maybe(pcaf),
        }),
      ),
    ),
  );

const companyArb = (complete = false): fc.Arbitrary<Company> =>
  fc.record({
    sicCodes: fc.constantFrom(...SICS).map((s) => [s]),
    metrics: rowsArb(complete).map((rows) => rows.map((r) => ({ ...r }) as Row)),
    target: complete ? targetArb : fc.option(targetArb, { nil: undefined }),
  });

/** Three consecutive, complete years in GBP, the shape most properties need. */
const threeYearArb: fc.Arbitrary<Company> = fc.record({
  sicCodes: fc.constantFrom(...SICS).map((s) => [s]),
  metrics: fc
    .tuple(
      ...[2022, 2023, 2024].map((year) =>
        fc.record({
          year: fc.constant(year),
          energyMwh: mwh,
          scope1Tco2e: positiveTonnes,
          scope2Tco2e: positiveTonnes,
          scope3Tco2e: tonnes,
          revenue: fc.record({
            amount: fc.integer({ min: 1, max: 1e12 }),
            currency: fc.constant('GBP' as const),
          }),
          renewableShare: share,
          verified: fc.boolean(),
          pcafDataQuality: pcaf,
        }),
      ),
    )
    .map((rows) => rows.map((r) => ({ ...r }) as Row)),
  target: targetArb,
});

const clone = (c: Company): Company => structuredClone(c);
const score = (c: Company) => greenScore(c as GreenScoreInput);
const points = (r: GreenScoreResult, id: GreenScoreComponentId) =>
  r.components.find((c) => c.id === id)!.points;
const latestIndex = (c: Company) =>
  c.metrics.reduce((best, m, i, all) => (m.year > all[best]!.year ? i : best), 0);

describe('green score laws', () => {
  test.prop([companyArb()], { numRuns: 300 })(
    'score in [0, 100], band matches score, points sum exactly to the score, confidence in [0, 1]',
    (company) => {
      const r = score(company);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(100);
      expect(r.band).toBe(greenScoreBand(r.score));
      const tenths = r.components.reduce((s, c) => s + Math.round(c.points * 10), 0);
      expect(Math.round(r.score * 10)).toBe(tenths);
      expect(r.score).toBe(tenths / 10);
      for (const c of r.components) {
        expect(c.points).toBeGreaterThanOrEqual(0);
        expect(c.points).toBeLessThanOrEqual(c.maxPoints);
        expect(Math.round(c.points * 10)).toBe(c.points * 10);
      }
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(r.methodologyVersion).toBe('gs-2026.1');
    },
  );

  test.prop([companyArb()])('is deterministic: same input (or a deep copy) → identical result', (company) => {
    const a = score(company);
    const b = score(clone(company));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(score(company)).toEqual(a);
  });

  test.prop([companyArb(), fc.constantFrom('scope1Tco2e' as const, 'scope2Tco2e' as const), positiveTonnes])(
    'raising the latest year’s scope 1 or scope 2 never raises the score',
    (company, field, delta) => {
      const i = latestIndex(company);
      const before = company.metrics[i]![field];
      fc.pre(typeof before === 'number');
      const raised = clone(company);
      raised.metrics[i]![field] = before! + delta;
      expect(score(raised).score).toBeLessThanOrEqual(score(company).score);
    },
  );

  test.prop([
    companyArb(),
    fc.nat(),
    fc.constantFrom('scope1Tco2e' as const, 'scope2Tco2e' as const),
    positiveTonnes,
  ])(
    'raising scope 1 or 2 of a year other than the two trend reference years never changes the score',
    (company, pick, field, delta) => {
      const latest = company.metrics[latestIndex(company)]!.year;
      const candidates = company.metrics
        .map((m, i) => ({ m, i }))
        .filter(({ m }) => m.year !== latest - 1 && m.year !== latest - 2 && typeof m[field] === 'number');
      fc.pre(candidates.length > 0);
      const { i, m } = candidates[pick % candidates.length]!;
      const raised = clone(company);
      raised.metrics[i]![field] = (m[field] as number) + delta;
      const before = score(company);
      const after = score(raised);
      if (m.year === latest) expect(after.score).toBeLessThanOrEqual(before.score);
      else expect(after.score).toBe(before.score);
    },
  );

  test.prop([companyArb(), fc.nat(), fc.double({ min: 1, max: 100, noNaN: true })])(
    'scaling scope 1 and 2 up by k ≥ 1 from any year onward never raises the score',
    (company, pick, k) => {
      const from = company.metrics[pick % company.metrics.length]!.year;
      const scaled = clone(company);
      for (const m of scaled.metrics) {
        if (m.year < from) continue;
        if (typeof m.scope1Tco2e === 'number') m.scope1Tco2e *= k;
        if (typeof m.scope2Tco2e === 'number') m.scope2Tco2e *= k;
      }
      expect(score(scaled).score).toBeLessThanOrEqual(score(company).score);
    },
  );

  test.prop([companyArb(), fc.double({ min: 0.01, max: 1, noNaN: true })])(
    'a better trend (each year ×λ^(years since the first), λ ≤ 1) never lowers the score',
    (company, lambda) => {
      const first = Math.min(...company.metrics.map((m) => m.year));
      const better = clone(company);
      for (const m of better.metrics) {
        const f = lambda ** (m.year - first);
        if (typeof m.scope1Tco2e === 'number') m.scope1Tco2e *= f;
        if (typeof m.scope2Tco2e === 'number') m.scope2Tco2e *= f;
      }
      expect(score(better).score).toBeGreaterThanOrEqual(score(company).score);
    },
  );

  test.prop([
    threeYearArb,
    fc.constantFrom(0, 1),
    fc.constantFrom('scope1Tco2e' as const, 'scope2Tco2e' as const),
    positiveTonnes,
  ])(
    'raising a trend reference year (T−1, T−2) only moves the trend components, never down',
    (company, row, field, delta) => {
      const raised = clone(company);
      raised.metrics[row]![field] = (company.metrics[row]![field] as number) + delta;
      const a = score(company);
      const b = score(raised);
      for (const c of a.components) {
        const after = points(b, c.id);
        if (c.group === 'emissions-trend') expect(after).toBeGreaterThanOrEqual(c.points);
        else expect(after).toBe(c.points);
      }
      expect(b.score - a.score).toBeLessThanOrEqual(20);
    },
  );
});

describe('missing data never counts as good', () => {
  test.prop([companyArb(), fc.nat(), fieldAndValue], { numRuns: 500 })(
    'a field left out scores no more, and with no more confidence, than the same field at any admissible value',
    (company, pick, { field, value }) => {
      const i = pick % company.metrics.length;
      const missing = clone(company);
      delete missing.metrics[i]![field];
      const present = clone(company);
      (present.metrics[i] as Record<string, unknown>)[field] = value;
      const m = score(missing);
      const p = score(present);
      expect(m.score).toBeLessThanOrEqual(p.score);
      expect(m.confidence).toBeLessThanOrEqual(p.confidence);
    },
  );

  test.prop([companyArb(), targetArb])(
    'an unknown target scores no more than any target',
    (company, target) => {
      const unknown = score({ ...clone(company), target: undefined });
      const known = score({ ...clone(company), target });
      expect(unknown.score).toBeLessThanOrEqual(known.score);
      expect(unknown.confidence).toBeLessThanOrEqual(known.confidence);
    },
  );

  test.prop([threeYearArb, fc.constantFrom(...FIELDS)])(
    'for a complete three-year record, removing any field of the latest year lowers confidence and adds a warning',
    (company, field) => {
      const missing = clone(company);
      delete missing.metrics[2]![field];
      const full = score(company);
      const m = score(missing);
      expect(m.confidence).toBeLessThan(full.confidence);
      expect(m.warnings.length).toBeGreaterThan(full.warnings.length);
      expect(m.score).toBeLessThanOrEqual(full.score);
    },
  );
});

describe('caller benchmarks', () => {
  test.prop([
    threeYearArb,
    fc.double({ min: 0.01, max: 1e4, noNaN: true }),
    fc.double({ min: 1, max: 100, noNaN: true }),
  ])(
    'override ours for the same key, and a more lenient benchmark never lowers the score',
    (company, value, factor) => {
      const division = company.sicCodes[0]!.slice(0, 2);
      const own = { sic: division, currency: 'GBP' as const, year: 2024, source: 'caller peer set' };
      const strict = score(company);
      const a = greenScore(company as GreenScoreInput, {
        benchmarks: [{ ...own, scope12PerMillionRevenue: value }],
      });
      const b = greenScore(company as GreenScoreInput, {
        benchmarks: [{ ...own, scope12PerMillionRevenue: value * factor }],
      });
      const ci = a.components.find((c) => c.id === 'carbon-intensity')!;
      expect(ci.benchmark?.value).toBe(value);
      expect(ci.benchmark?.source).toBe('caller peer set');
      expect(ci.benchmark?.sector?.fromCaller).toBe(true);
      expect(b.score).toBeGreaterThanOrEqual(a.score);
      expect(strict.methodologyVersion).toBe(a.methodologyVersion);
    },
  );
});
