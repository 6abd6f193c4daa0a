/**
 * Loan-simulation report data → one self-contained HTML document (inline CSS and SVG, no script,
 * no external resource), plus the header and footer Chromium prints in the page margins. Pure:
 * the same data always gives the same HTML.
 */
import Handlebars from 'handlebars';
import { GREEN_SCORE_BAND_THRESHOLDS, type CurrencyCode } from '@greenfin/core';
import {
  annualTotals,
  balanceChart,
  co2SavingsChart,
  energySourceLabel,
  financedEmissionsChart,
  repaymentsChart,
  scoreComponentsChart,
} from './charts.js';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPp,
  formatTonnes,
} from './format.js';
import { assertLoanReportData, type LoanReportData, type ReportScoreComponent } from './report-data.js';
import { FOOTER_TEMPLATE, HEADER_TEMPLATE, REPORT_STYLES, REPORT_TEMPLATE } from './report-template.js';

/** An isolated Handlebars environment: helpers registered here never leak into other users'. */
const hb = Handlebars.create();

type HelperOptions = Handlebars.HelperOptions;
const rootCurrency = (options: HelperOptions): CurrencyCode =>
  (options.data as { root: { currency: CurrencyCode } }).root.currency;
/** Optional trailing numeric argument of a helper (Handlebars passes `options` last). */
const digits = (args: unknown[], fallback: number): number =>
  typeof args[0] === 'number' ? args[0] : fallback;

hb.registerHelper('money', (amount: number, options: HelperOptions) =>
  formatMoney(amount, rootCurrency(options)),
);
hb.registerHelper('percent', (rate: number, ...rest: unknown[]) => formatPercent(rate, digits(rest, 2)));
hb.registerHelper('pp', (rate: number, ...rest: unknown[]) => formatPp(rate, digits(rest, 2)));
hb.registerHelper('number', (value: number, ...rest: unknown[]) => formatNumber(value, digits(rest, 0)));
hb.registerHelper('tonnes', (value: number, ...rest: unknown[]) => formatTonnes(value, digits(rest, 1)));
hb.registerHelper('date', (iso: string) => formatDate(iso));
hb.registerHelper('datetime', (iso: string) => formatDateTime(iso));
hb.registerHelper('plural', (n: number, one: string, many: string) => (n === 1 ? one : many));

const KNOWN_HELPERS = ['money', 'percent', 'pp', 'number', 'tonnes', 'date', 'datetime', 'plural'];
const COMPILE_OPTIONS = {
  // strict: a view field the template names but the view lacks is an error, not a blank.
  strict: true,
  knownHelpers: Object.fromEntries(KNOWN_HELPERS.map((name) => [name, true])),
  knownHelpersOnly: true,
};

/**
 * Precompiles a template once, at module load. `precompile` generates the template's JavaScript
 * source; evaluating it here is exactly what loading a build-time precompiled template does, so no
 * render parses or generates code.
 */
function precompiled<T>(source: string): Handlebars.TemplateDelegate<T> {
  const spec = new Function(`return ${hb.precompile(source, COMPILE_OPTIONS)};`)() as TemplateSpecification;
  return hb.template<T>(spec);
}
type TemplateSpecification = Parameters<typeof hb.template>[0];

const reportTemplate = precompiled<ReportView>(REPORT_TEMPLATE);
const footerTemplate = precompiled<{ methodologyVersion: string; generatedAt: string; simulationId: string }>(
  FOOTER_TEMPLATE,
);
const headerTemplate = precompiled<{ organizationName: string; companyName: string }>(HEADER_TEMPLATE);

const METHOD_LABELS: Record<string, string> = {
  annuity: 'Annuity (equal instalments)',
  linear: 'Linear (equal principal)',
  bullet: 'Bullet (repaid at maturity)',
  'interest-only': 'Interest-only',
};
const FREQUENCY_LABELS: Record<string, string> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  semiannual: 'semi-annual',
  annual: 'annual',
};
const APR_METHOD_TEXT = {
  eu: 'EU Consumer Credit Directive 2008/48/EC Annex I actuarial method (as in UK FCA CONC App 1), including fees',
  'us-actuarial': 'US Regulation Z (12 CFR 1026) Appendix J actuarial method, including finance charges',
} as const;
const APR_SHORT = { eu: 'EU CCD Annex I, incl. fees', 'us-actuarial': 'Reg Z App. J, incl. fees' } as const;
const LIMIT_TEXT: Record<string, string> = {
  'no-score': 'no green score',
  'low-confidence': 'the score’s low confidence',
  cap: 'the policy cap',
  'rate-floor': 'the rate floor',
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function bandRange(i: number): string {
  const t = GREEN_SCORE_BAND_THRESHOLDS[i]!;
  const above = GREEN_SCORE_BAND_THRESHOLDS[i - 1];
  return t.min === 0 && above ? `< ${above.min}` : `≥ ${t.min}`;
}

function benchmarkView(b: ReportScoreComponent['benchmark']) {
  if (!b) return null;
  const value = b.unit.startsWith('fraction')
    ? `${formatPercent(b.value, 1)}${b.unit.slice('fraction'.length)}`
    : `${formatNumber(b.value, Math.abs(b.value) >= 100 ? 0 : 2)} ${b.unit}`;
  const sector = b.sector
    ? `SIC ${b.sector.sic} ${b.sector.level}${b.sector.title ? `: ${b.sector.title}` : ''}`
    : null;
  const fx =
    b.fx && b.original
      ? `converted from ${formatNumber(b.original.value, 2)} ${b.original.unit} at ${b.fx.rate.toFixed(4)} ${b.fx.to} per ${b.fx.from} (${b.fx.source})`
      : null;
  return { value, sector, source: b.source, derivation: b.derivation ?? null, fx };
}

function groupDataQuality(data: NonNullable<LoanReportData['financedEmissions']>) {
  const groups: { score: number; options: string; description: string; first: number; last: number }[] = [];
  for (const y of data.years) {
    const g = groups.at(-1);
    if (g && g.score === y.dataQuality.score) g.last = y.year;
    else
      groups.push({
        score: y.dataQuality.score,
        options: y.dataQuality.options.join('/'),
        description: y.dataQuality.description,
        first: y.year,
        last: y.year,
      });
  }
  return groups.map((g) => ({
    score: g.score,
    options: g.options,
    description: g.description,
    years: groups.length === 1 ? null : g.first === g.last ? `${g.first}` : `${g.first}–${g.last}`,
  }));
}

/** Everything the template prints, already derived; every key present (strict template). */
function buildView(data: LoanReportData) {
  const { pricing, greenScore: gs, schedule, company } = data;
  const currency = pricing.currency;
  const money = (amount: number) => formatMoney(amount, currency);
  const rateBeforeDiscount = pricing.rateBeforeDiscount ?? pricing.baseRate + pricing.creditSpread;
  const rows = schedule.installments;
  const years = annualTotals(rows).map((y) => ({
    ...y,
    rows: rows.filter((r) => Number(r.date.slice(0, 4)) === y.year),
  }));
  const totals = {
    payment: rows.reduce((s, r) => s + r.payment, 0),
    interest: rows.reduce((s, r) => s + r.interest, 0),
    principal: rows.reduce((s, r) => s + r.principal, 0),
    closingBalance: rows.at(-1)!.balance,
  };
  const frequency = schedule.frequency
    ? (FREQUENCY_LABELS[schedule.frequency] ?? schedule.frequency)
    : 'regular';
  const method = schedule.method ? (METHOD_LABELS[schedule.method] ?? schedule.method) : 'Repayment';
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const description =
    `${method}, ${rows.length} ${frequency} instalments from ${formatDate(first.date)} to ${formatDate(last.date)}; ` +
    `drawdown ${formatDate(schedule.startDate)}${schedule.dayCount ? `; interest on a ${schedule.dayCount} day count` : ''}.`;

  const co2 = data.co2Savings;
  const fe = data.financedEmissions;
  const limits = pricing.greenDiscount.limitedBy.map((l) => LIMIT_TEXT[l] ?? l);
  const policy = pricing.policy;
  const maxTotal = gs.components.reduce((s, comp) => s + comp.maxPoints, 0);
  const bandIndex = GREEN_SCORE_BAND_THRESHOLDS.findIndex((t) => t.band === gs.band);

  const notes = [
    ...gs.warnings.map((w) => `Green score: ${w.message}`),
    ...(data.warnings ?? []).map((w) => w.message),
    ...(limits.length > 0 ? [`The green discount was limited by ${limits.join(', ')}.`] : []),
    ...(fe ? fe.warnings.map((w) => `Financed emissions: ${w}`) : []),
    ...(co2 ? [] : ['CO2 savings were not estimated: the simulation gave no project energy savings.']),
    ...(fe ? [] : ['Financed emissions were not computed: emissions or balance sheet not available.']),
  ];

  const paymentLabel = schedule.frequency ? `${capitalise(frequency)} instalment` : 'Regular instalment';
  const narrative =
    `${company.name} scores ${formatNumber(gs.score, 1)}/100 (band ${gs.band}, confidence ${formatNumber(gs.confidence, 2)}) under methodology ${gs.methodologyVersion}, ` +
    (pricing.greenDiscount.applied > 0
      ? `which earns a ${formatPp(pricing.greenDiscount.applied)} green discount. `
      : 'which earns no green discount. ') +
    `The ${money(pricing.principal)} loan over ${pricing.termMonths} months is priced at ${formatPercent(pricing.finalRate)} (APR ${formatPercent(pricing.apr)}), ` +
    `a ${paymentLabel.toLowerCase()} of ${money(pricing.regularPayment)}` +
    (pricing.interestSaved > 0
      ? `; the discount saves ${money(pricing.interestSaved)} of interest over the term.`
      : '.') +
    (co2
      ? ` The financed project is estimated to save ${formatTonnes(co2.tco2ePerYear)} a year, ${formatTonnes(co2.totalTco2e)} over ${co2.lifetimeYears} years.`
      : '') +
    (fe
      ? ` The loan's financed scope 1+2 emissions total ${formatTonnes(fe.totals.financedScope1And2, 2)} over its life and fall to zero as it is repaid.`
      : '');

  const basis = fe?.years[0]?.companyValueBasis;
  return {
    styles: REPORT_STYLES,
    currency,
    doc: {
      title: `Loan simulation report — ${company.name}`,
      organizationName: data.organizationName,
      simulationId: data.simulationId,
      createdAt: data.createdAt,
      generatedAt: data.generatedAt,
      purpose: data.loanPurpose ?? null,
    },
    company: {
      name: company.name,
      companyNumber: company.companyNumber,
      jurisdiction: company.jurisdiction.toUpperCase(),
      sector: company.sector ?? null,
      sic: company.sicCodes.length > 0 ? company.sicCodes.join(', ') : 'not given',
      location: [company.locality, company.region].filter((s): s is string => !!s).join(', ') || null,
    },
    narrative,
    notes,
    score: {
      score: gs.score,
      band: gs.band,
      confidence: gs.confidence,
      methodologyVersion: gs.methodologyVersion,
      maxTotal,
      bandRule: bandIndex >= 0 ? `${bandRange(bandIndex)}` : '',
      bandRules: GREEN_SCORE_BAND_THRESHOLDS.map((t, i) => `${t.band} ${bandRange(i)}`).join(', '),
      bandScale: GREEN_SCORE_BAND_THRESHOLDS.map((t, i) => ({
        band: t.band,
        range: bandRange(i),
        current: t.band === gs.band,
      })),
      components: gs.components.map((comp) => ({
        label: comp.label,
        points: comp.points,
        maxPoints: comp.maxPoints,
        explanation: comp.explanation,
        sharePct: Math.round(Math.min(1, Math.max(0, comp.points / comp.maxPoints)) * 1000) / 10,
        benchmark: benchmarkView(comp.benchmark),
      })),
    },
    pricing: {
      principal: pricing.principal,
      termMonths: pricing.termMonths,
      baseRate: pricing.baseRate,
      creditSpread: pricing.creditSpread,
      rateBeforeDiscount,
      finalRate: pricing.finalRate,
      apr: pricing.apr,
      regularPayment: pricing.regularPayment,
      totalInterest: pricing.totalInterest,
      interestSaved: pricing.interestSaved,
      totalFees: pricing.totalFees,
      totalCostOfCredit: pricing.totalInterest + pricing.totalFees,
      greenDiscount: {
        applied: pricing.greenDiscount.applied,
        explanation: pricing.greenDiscount.explanation,
      },
      discountBand: pricing.greenDiscount.band ?? null,
      limits: limits.length > 0 ? limits.join(', ') : null,
      withoutDiscount: pricing.withoutDiscount,
      rateDifference: pricing.finalRate - pricing.withoutDiscount.rate,
      paymentDifference: pricing.regularPayment - pricing.withoutDiscount.regularPayment,
      interestDifference: pricing.totalInterest - pricing.withoutDiscount.totalInterest,
      aprDifference: pricing.apr - pricing.withoutDiscount.apr,
      aprShort: APR_SHORT[pricing.aprMethod],
      aprMethodText: APR_METHOD_TEXT[pricing.aprMethod],
      policyText: policy
        ? `${GREEN_SCORE_BAND_THRESHOLDS.map((t) => `${t.band} ${formatPp(policy.discounts[t.band])}`).join(', ')}; ` +
          `cap ${formatPp(policy.cap)}; rate floor ${formatPercent(policy.rateFloor)}; minimum confidence ${formatNumber(policy.minConfidence, 2)}`
        : null,
    },
    schedule: {
      count: rows.length,
      methodLabel: method,
      frequencyLabel: frequency,
      paymentLabel,
      description,
      years,
      totals,
    },
    co2: co2
      ? {
          factorYear: co2.factorYear,
          lifetimeYears: co2.lifetimeYears,
          tco2ePerYear: co2.tco2ePerYear,
          totalTco2e: co2.totalTco2e,
          totalMwh: co2.breakdown.reduce((s, l) => s + l.mwhPerYear, 0),
          assumptions: co2.assumptions,
          lines: co2.breakdown.map((line) => ({
            label: energySourceLabel(line.source),
            mwhPerYear: line.mwhPerYear,
            kgCo2ePerKwh: line.kgCo2ePerKwh,
            tco2ePerYear: line.tco2ePerYear,
            totalTco2e: line.totalTco2e,
            factors: line.factors.map((f) => ({ value: String(f.value), unit: f.unit, source: f.source })),
          })),
        }
      : null,
    financed: fe
      ? {
          method: fe.method,
          denominatorLabel:
            basis === 'evic'
              ? 'EVIC, enterprise value including cash'
              : basis === 'equity-plus-debt'
                ? 'the company’s total equity + debt'
                : 'the company’s value',
          hasScope3: fe.years.some((y) => y.financedScope3 !== null),
          // A wide or long table gets the full width, the chart below it.
          stacked: fe.years.length > 10 || fe.years.some((y) => y.financedScope3 !== null),
          years: fe.years.map((y) => ({
            year: y.year,
            outstanding: y.outstanding,
            attributionFactor: y.attributionFactor,
            attributionCapped: y.attributionCapped,
            financedScope1: y.financedScope1,
            financedScope2: y.financedScope2,
            financedScope1And2: y.financedScope1And2,
            financedScope3: y.financedScope3 ?? 0,
            hasScope3Value: y.financedScope3 !== null,
          })),
          totals: {
            financedScope1And2: fe.totals.financedScope1And2,
            financedScope3: fe.totals.financedScope3,
          },
          dataQuality: groupDataQuality(fe),
          weighted:
            fe.weightedDataQuality.scope1And2 === null
              ? null
              : formatNumber(fe.weightedDataQuality.scope1And2, 2),
          warnings: fe.warnings,
        }
      : null,
    cashFlow: cashFlowView(data.cashFlow ?? null),
    charts: {
      scoreComponents: scoreComponentsChart(gs.components),
      balance: balanceChart({
        startDate: schedule.startDate,
        principal: pricing.principal,
        currency,
        installments: rows,
      }),
      repayments: repaymentsChart({ currency, installments: rows }),
      co2: co2 ? co2SavingsChart(co2) : null,
      financed: fe ? financedEmissionsChart(fe.years) : null,
    },
  };
}
type ReportView = ReturnType<typeof buildView>;

const NOTCH_TEXT: Record<string, string> = {
  'low-cash-on-hand': 'few days of cash on hand',
  'unknown-cash-on-hand': 'the cash balance is unknown',
  volatile: 'volatile net cash flow',
  'thin-history': 'less than 12 months of history',
};

/** The "Cash-flow risk" section: DSCR, the grade against the thresholds table, the spread. */
function cashFlowView(cf: LoanReportData['cashFlow'] | null) {
  if (!cf) return null;
  return {
    dscr: formatNumber(cf.dscr, 2),
    grade: cf.grade,
    dscrGrade: cf.dscrGrade,
    notched: cf.grade !== cf.dscrGrade,
    notches: cf.notches.map((n) => NOTCH_TEXT[n] ?? n).join('; '),
    referToUnderwriter: cf.referToUnderwriter,
    callerSpread: cf.spreadSource === 'caller',
    spreadApplied: cf.spreadApplied,
    gradeSpread: cf.gradeSpread,
    from: cf.window.from,
    to: cf.window.to,
    months: formatNumber(cf.window.months, 1),
    cashFlow: cf.averageMonthlyNetOperatingCashFlow,
    debtService: Math.round(cf.monthlyDebtService),
    existingDebtService: cf.existingDebtService ?? 0,
    loanDebtService: Math.round(cf.monthlyDebtService) - (cf.existingDebtService ?? 0),
    daysCash: cf.daysCashOnHand === null ? null : formatNumber(cf.daysCashOnHand, 0),
    cv: cf.coefficientOfVariation === null ? null : formatNumber(cf.coefficientOfVariation, 2),
    thresholds: cf.thresholds.map((t) => ({
      grade: t.grade,
      range: t.minDscr === null ? 'below the others' : `≥ ${formatNumber(t.minDscr, 2)}x`,
      creditSpread: t.creditSpread,
      current: t.grade === cf.grade,
    })),
    explanation: cf.explanation,
  };
}

/**
 * Renders the loan-simulation report as one self-contained HTML document: inline CSS and SVG
 * charts, no script, no external URL, and a Content-Security-Policy that forbids loading any.
 * Everything from `data` is HTML-escaped (a company called `<script>…` prints as text).
 *
 * @throws ReportDataError naming the first missing or malformed field.
 * @example
 * const html = renderReportHtml(ecotechReportData());
 * html.startsWith('<!doctype html>'); // true
 */
export function renderReportHtml(data: LoanReportData): string {
  assertLoanReportData(data);
  return reportTemplate(buildView(data));
}

/**
 * The footer Chromium prints in every page's bottom margin: "Greenfin · methodology … · generated
 * … · simulation …" and "Page n of N" (Chromium fills `pageNumber` / `totalPages`). Escaped.
 */
export function renderReportFooterHtml(
  data: Pick<LoanReportData, 'generatedAt' | 'simulationId'> & {
    readonly greenScore: Pick<LoanReportData['greenScore'], 'methodologyVersion'>;
  },
): string {
  return footerTemplate({
    methodologyVersion: data.greenScore.methodologyVersion,
    generatedAt: data.generatedAt,
    simulationId: data.simulationId,
  });
}

/** The header Chromium prints in every page's top margin: organisation and company. Escaped. */
export function renderReportHeaderHtml(
  data: Pick<LoanReportData, 'organizationName'> & {
    readonly company: Pick<LoanReportData['company'], 'name'>;
  },
): string {
  return headerTemplate({ organizationName: data.organizationName, companyName: data.company.name });
}
