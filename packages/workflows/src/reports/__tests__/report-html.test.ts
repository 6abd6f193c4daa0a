import { fc, test } from '@fast-check/vitest';
import Handlebars from 'handlebars';
import { greenScore, priceLoan, ecotechExample as eco } from '@greenfin/core';
import { describe, expect, it } from 'vitest';
import { annualTotals, balanceChart, niceScale, repaymentsChart } from '../charts.js';
import { ecotechReportData } from '../ecotech-report-data.js';
import { ReportDataError } from '../errors.js';
import type { LoanReportData } from '../report-data.js';
import { renderReportFooterHtml, renderReportHeaderHtml, renderReportHtml } from '../report-html.js';

const count = (html: string, pattern: RegExp) => html.match(pattern)?.length ?? 0;
/** The SVG of one chart, found by its data-chart name. */
const chart = (html: string, name: string) => {
  const m = new RegExp(`<svg[^>]*data-chart="${name}"[\\s\\S]*?</svg>`).exec(html);
  if (!m) throw new Error(`no ${name} chart`);
  return m[0];
};
const polylinePoints = (svg: string, series: string) => {
  const m = new RegExp(`<polyline data-series="${series}" points="([^"]*)"`).exec(svg);
  return m ? m[1]!.trim().split(/\s+/).length : 0;
};

const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> & "Sons" Ltd`;

describe('renderReportHtml', () => {
  const data = ecotechReportData();
  const html = renderReportHtml(data);

  it('is one self-contained document: no script, no external URL, a CSP that forbids loading any', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain(`content="default-src 'none'`);
  });

  it('shows what a credit committee reads', () => {
    for (const text of [
      'EcoTech Manufacturing Ltd',
      '09876543',
      'Midlands Green Bank plc',
      '£500,000.00',
      '6.50%', // final rate
      '6.92%', // APR
      '0.50 pp',
      '£9,783.07',
      'Interest saved',
      '£7,051.41',
      'Band A',
      'gs-2026.1',
      '68.8 tCO2e',
      'DESNZ 2025',
      'PCAF data-quality score 1',
      'sim_01JEC0TECH5YEAR500K',
      '10 Jan 2025, 09:31 UTC',
    ]) {
      expect(html, text).toContain(text);
    }
    for (const component of data.greenScore.components) {
      expect(html).toContain(component.label);
    }
  });

  it('lists every schedule row, a subtotal per calendar year and the totals', () => {
    for (const row of data.schedule.installments) {
      expect(html).toMatch(new RegExp(`<td class="num">${row.number}</td><td>\\d{1,2} \\w{3} \\d{4}</td>`));
    }
    expect(count(html, /<tr class="subtotal">/g)).toBe(6); // 2025 … 2030
    expect(html).toContain('2030 (1 instalment)');
    expect(html).toContain('£586,984.53'); // total paid = principal + interest
  });

  it('escapes everything from the data: a company called <script> prints as text', () => {
    const hostile = renderReportHtml(
      ecotechReportData({
        companyName: HOSTILE,
        simulationId: 'sim_"><b>x</b>',
        organizationName: '<i>Bank</i>',
      }),
    );
    expect(hostile).not.toMatch(/<script/i);
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<b>x</b>');
    expect(hostile).not.toContain('<i>Bank</i>');
    expect(hostile).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(hostile).toContain('&amp; &quot;Sons&quot; Ltd');
    const footer = renderReportFooterHtml({ ...data, simulationId: '<script>x</script>' });
    expect(footer).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(footer).toContain('class="pageNumber"');
    const header = renderReportHeaderHtml({ organizationName: 'A&B', company: { name: HOSTILE } });
    expect(header).not.toMatch(/<script/i);
    expect(header).toContain('A&amp;B');
  });

  it('escapes data inside the SVG charts too', () => {
    const evil = {
      ...data,
      greenScore: {
        ...data.greenScore,
        components: data.greenScore.components.map((c, i) =>
          i === 0 ? { ...c, label: '</text><script>alert(1)</script>' } : c,
        ),
      },
    };
    const out = chart(renderReportHtml(evil), 'score-components');
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  it('draws one bar per score component, one balance point per instalment plus drawdown, two bars per year', () => {
    expect(count(chart(html, 'score-components'), /data-bar="component"/g)).toBe(9);
    expect(polylinePoints(chart(html, 'balance'), 'balance')).toBe(61);
    const repayments = chart(html, 'repayments');
    expect(count(repayments, /data-bar="principal"/g)).toBe(6);
    expect(count(repayments, /data-bar="interest"/g)).toBe(6);
    // CO2: 10 years × 2 energy sources; financed emissions: 2025 … 2030.
    expect(count(chart(html, 'co2-savings'), /data-bar="co2"/g)).toBe(20);
    expect(count(chart(html, 'financed-emissions'), /data-bar="financed"/g)).toBe(6);
  });

  test.prop([
    fc.integer({ min: 1, max: 40 }),
    fc.constantFrom('monthly', 'quarterly', 'semiannual', 'annual' as const),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 1, max: 12 }),
  ])('the balance and repayment charts follow any schedule', (periods, frequency, day, month) => {
    const months = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 }[frequency];
    const startDate = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const priced = priceLoan({
      principal: 10_000_000,
      currency: 'EUR',
      termMonths: periods * months,
      frequency,
      startDate,
      baseRate: 0.03,
      creditSpread: 0.02,
    });
    const rows = priced.schedule.installments;
    const years = new Set(rows.map((r) => r.date.slice(0, 4))).size;
    const balance = balanceChart({ startDate, principal: 10_000_000, currency: 'EUR', installments: rows });
    expect(polylinePoints(balance, 'balance')).toBe(rows.length + 1);
    expect(balance).not.toMatch(/NaN|Infinity|undefined/);
    const repayments = repaymentsChart({ currency: 'EUR', installments: rows });
    expect(count(repayments, /data-bar="principal"/g)).toBe(years);
    expect(count(repayments, /data-bar="interest"/g)).toBe(years);
    // Annual subtotals add up to the schedule's totals exactly (integer minor units).
    const totals = annualTotals(rows);
    expect(totals.reduce((s, y) => s + y.principal, 0)).toBe(10_000_000);
    expect(totals.reduce((s, y) => s + y.interest, 0)).toBe(priced.totalInterest);
  });

  it('picks round axis scales that cover the data', () => {
    expect(niceScale(50_000_000)).toEqual({ max: 50_000_000, step: 10_000_000 });
    expect(niceScale(68.8)).toEqual({ max: 70, step: 10 });
    for (const v of [0.3, 7, 12.85, 999, 123_456]) {
      const s = niceScale(v);
      expect(s.max).toBeGreaterThanOrEqual(v);
      expect(s.max / s.step).toBeLessThanOrEqual(7);
      expect(s.max / s.step).toBeGreaterThanOrEqual(3);
    }
  });

  it('says so when CO2 savings and financed emissions are absent, and draws neither chart', () => {
    const out = renderReportHtml({ ...data, co2Savings: null, financedEmissions: null });
    expect(out).toContain('Not estimated: the simulation gave no project energy savings');
    expect(out).toContain('Not computed: the company');
    expect(out).not.toContain('data-chart="co2-savings"');
    expect(out).not.toContain('data-chart="financed-emissions"');
    expect(out).not.toMatch(/NaN|undefined|\[object Object\]/);
  });

  it('lists the score’s warnings and a limited discount under “Points to note”', () => {
    const score = greenScore({ sicCodes: [], metrics: [eco.metrics[2]] });
    const priced = priceLoan({
      principal: 50_000_000,
      currency: 'GBP',
      termMonths: 60,
      startDate: '2025-01-15',
      baseRate: 0.045,
      creditSpread: 0.025,
      greenScore: score,
    });
    expect(score.warnings.length).toBeGreaterThan(0);
    const out = renderReportHtml({ ...data, greenScore: score, pricing: priced, schedule: priced.schedule });
    for (const w of score.warnings) {
      expect(out).toContain(Handlebars.escapeExpression(`Green score: ${w.message}`));
    }
    expect(out).not.toContain('No data warnings');
  });

  it('names the field when the data is malformed, before rendering anything', () => {
    const cases: [string, (d: LoanReportData) => unknown][] = [
      ['company.name', (d) => ({ ...d, company: { ...d.company, name: '' } })],
      ['generatedAt', (d) => ({ ...d, generatedAt: 'now' })],
      ['greenScore.band', (d) => ({ ...d, greenScore: { ...d.greenScore, band: 'Z' } })],
      ['pricing.principal', (d) => ({ ...d, pricing: { ...d.pricing, principal: 500000.5 } })],
      ['pricing.currency', (d) => ({ ...d, pricing: { ...d.pricing, currency: 'XXX' } })],
      [
        'schedule.installments[3].date',
        (d) => ({
          ...d,
          schedule: {
            ...d.schedule,
            installments: d.schedule.installments.map((r, i) => (i === 3 ? { ...r, date: '2024-01-01' } : r)),
          },
        }),
      ],
      ['co2Savings', (d) => ({ ...d, co2Savings: undefined })],
      [
        'financedEmissions.years[0].dataQuality.score',
        (d) => ({
          ...d,
          financedEmissions: {
            ...d.financedEmissions!,
            years: d.financedEmissions!.years.map((y, i) =>
              i === 0 ? { ...y, dataQuality: { ...y.dataQuality, score: 9 } } : y,
            ),
          },
        }),
      ],
    ];
    for (const [field, mutate] of cases) {
      const run = () => renderReportHtml(mutate(data) as LoanReportData);
      expect(run, field).toThrow(ReportDataError);
      try {
        run();
      } catch (e) {
        expect((e as ReportDataError).field).toBe(field);
        expect((e as Error).message).toContain(field);
      }
    }
  });

  it('is pure: the same data gives the same HTML', () => {
    expect(renderReportHtml(ecotechReportData())).toBe(html);
  });
});

describe('the cash-flow risk section', () => {
  const cashFlow = {
    spreadSource: 'cash-flow' as const,
    spreadApplied: 0.0275,
    gradeSpread: 0.0275,
    dscr: 1.3,
    grade: 'CF3',
    dscrGrade: 'CF3',
    notches: [],
    referToUnderwriter: false,
    window: { from: '2025-03-01', to: '2026-02-28', months: 12 },
    averageMonthlyNetOperatingCashFlow: 1_300_000,
    monthlyDebtService: 1_000_000,
    daysCashOnHand: 60,
    coefficientOfVariation: 0.4,
    thresholds: [
      { grade: 'CF3', minDscr: 1.25, creditSpread: 0.0275 },
      { grade: 'CF5', minDscr: null, creditSpread: 0.05 },
    ],
    explanation: 'DSCR 1.30x.',
  };
  const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

  it('names the debt service of this loan alone when there is no other debt', () => {
    const html = text(renderReportHtml({ ...ecotechReportData(), cashFlow }));
    expect(html).toContain('÷ monthly debt service of this loan £10,000.00 = DSCR 1.30x');
  });

  it('splits this loan and the existing debt service when the simulation gave one', () => {
    const html = text(
      renderReportHtml({ ...ecotechReportData(), cashFlow: { ...cashFlow, existingDebtService: 250_000 } }),
    );
    expect(html).toContain('÷ monthly debt service £10,000.00 (this loan £7,500.00 + existing £2,500.00)');
  });
});
