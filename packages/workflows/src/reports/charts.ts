/**
 * The report's charts as inline SVG strings, drawn here rather than by a chart library: no
 * script, no network, nothing for the browser to load, and the same bytes every time. Every text
 * that comes from data is HTML-escaped. Marks carry `data-bar` / `data-series` attributes naming
 * what they show, so tests (and anyone auditing a report) can count them.
 */
import type { CurrencyCode } from '@greenfin/core';
import { formatMoneyCompact, formatNumber, formatPercent } from './format.js';
import type {
  ReportCo2Savings,
  ReportFinancedEmissionsYear,
  ReportInstallment,
  ReportScoreComponent,
} from './report-data.js';

/** Chart palette: greens for what the loan achieves, amber for what it costs, slate for context. */
export const CHART_COLOURS = {
  principal: '#2f7d4f',
  principalLight: '#d7eadc',
  interest: '#d19a2e',
  track: '#e6ebe8',
  grid: '#d5dbd7',
  axis: '#5b6660',
  text: '#27312c',
  financed: '#5a6f8c',
  sources: ['#2f7d4f', '#7fb88f', '#4f8fa8', '#b6d7a8', '#8c7a5a'],
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Escapes text for an SVG/HTML text node or attribute. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A coordinate with one decimal: enough for print, small in the file. */
const c = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * A round upper bound and step for an axis from 0 to `max`: steps of 1, 2, 2.5 or 5 × 10ⁿ, 4 to 7
 * intervals, the tightest bound winning (fewer intervals on a tie).
 */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.25 };
  let best: { max: number; step: number } | undefined;
  for (let ticks = 4; ticks <= 7; ticks++) {
    const raw = max / ticks;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw * (1 - 1e-9)) ?? 10) * magnitude;
    const top = Math.ceil(max / step - 1e-9) * step;
    if (!best || top < best.max - 1e-9 * top) best = { max: top, step };
  }
  return best!;
}

function svgOpen(kind: string, width: number, height: number, title: string): string {
  return (
    `<svg class="chart" data-chart="${kind}" viewBox="0 0 ${width} ${height}" width="100%" ` +
    `preserveAspectRatio="xMidYMid meet" role="img" xmlns="http://www.w3.org/2000/svg">` +
    `<title>${escapeXml(title)}</title>`
  );
}

function yAxis(plot: Plot, scale: { max: number; step: number }, label: (v: number) => string): string {
  let out = '';
  for (let v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    const y = plot.top + plot.height - (v / scale.max) * plot.height;
    out +=
      `<line x1="${c(plot.left)}" x2="${c(plot.left + plot.width)}" y1="${c(y)}" y2="${c(y)}" stroke="${CHART_COLOURS.grid}" stroke-width="0.6"/>` +
      `<text x="${c(plot.left - 5)}" y="${c(y + 3.5)}" text-anchor="end" class="tick">${escapeXml(label(v))}</text>`;
  }
  return out;
}

function legend(items: readonly { colour: string; label: string }[], x: number, y: number): string {
  let out = '';
  let cursor = x;
  for (const item of items) {
    out +=
      `<rect x="${c(cursor)}" y="${c(y - 8)}" width="9" height="9" rx="1.5" fill="${item.colour}"/>` +
      `<text x="${c(cursor + 13)}" y="${c(y)}" class="legend">${escapeXml(item.label)}</text>`;
    cursor += 22 + item.label.length * 5.4;
  }
  return out;
}

interface Plot {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const dayNumber = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000;

/**
 * Outstanding balance from drawdown to maturity: one point at drawdown (the principal) and one
 * after each instalment, so a schedule of n rows draws n + 1 points.
 */
export function balanceChart(input: {
  readonly startDate: string;
  readonly principal: number;
  readonly currency: CurrencyCode;
  readonly installments: readonly ReportInstallment[];
}): string {
  const width = 340;
  const height = 200;
  const plot: Plot = { left: 46, top: 14, width: 282, height: 150 };
  const points = [
    { date: input.startDate, balance: input.principal },
    ...input.installments.map((row) => ({ date: row.date, balance: row.balance })),
  ];
  const t0 = dayNumber(input.startDate);
  const t1 = Math.max(t0 + 1, dayNumber(points.at(-1)?.date ?? input.startDate));
  const scale = niceScale(Math.max(...points.map((p) => p.balance), 1));
  const x = (date: string) => plot.left + ((dayNumber(date) - t0) / (t1 - t0)) * plot.width;
  const y = (v: number) => plot.top + plot.height - (v / scale.max) * plot.height;
  const coords = points.map((p) => `${c(x(p.date))},${c(y(p.balance))}`);
  const baseline = c(plot.top + plot.height);

  let years = '';
  const first = Number(input.startDate.slice(0, 4)) + 1;
  const last = Number((points.at(-1)?.date ?? input.startDate).slice(0, 4));
  const every = Math.max(1, Math.ceil((last - first + 1) / 8));
  for (let year = first; year <= last; year += every) {
    const xi = x(`${year}-01-01`);
    years +=
      `<line x1="${c(xi)}" x2="${c(xi)}" y1="${baseline}" y2="${c(plot.top + plot.height + 3)}" stroke="${CHART_COLOURS.axis}" stroke-width="0.6"/>` +
      `<text x="${c(xi)}" y="${c(plot.top + plot.height + 14)}" text-anchor="middle" class="tick">${year}</text>`;
  }

  return (
    svgOpen('balance', width, height, 'Outstanding balance over the term') +
    yAxis(plot, scale, (v) => formatMoneyCompact(v, input.currency)) +
    `<path data-series="balance-area" d="M${c(x(input.startDate))},${baseline} L${coords.join(' L')} L${c(x(points.at(-1)!.date))},${baseline} Z" fill="${CHART_COLOURS.principalLight}"/>` +
    `<polyline data-series="balance" points="${coords.join(' ')}" fill="none" stroke="${CHART_COLOURS.principal}" stroke-width="1.8" stroke-linejoin="round"/>` +
    `<line x1="${c(plot.left)}" x2="${c(plot.left + plot.width)}" y1="${baseline}" y2="${baseline}" stroke="${CHART_COLOURS.axis}" stroke-width="0.8"/>` +
    years +
    `<text x="${c(plot.left)}" y="${c(height - 6)}" class="legend">Principal outstanding after each instalment</text>` +
    '</svg>'
  );
}

/** Sums of a schedule's rows by calendar year of the due date, in date order. */
export function annualTotals(installments: readonly ReportInstallment[]): {
  year: number;
  count: number;
  payment: number;
  interest: number;
  principal: number;
  closingBalance: number;
}[] {
  const years: ReturnType<typeof annualTotals> = [];
  for (const row of installments) {
    const year = Number(row.date.slice(0, 4));
    let current = years.at(-1);
    if (!current || current.year !== year) {
      current = { year, count: 0, payment: 0, interest: 0, principal: 0, closingBalance: row.balance };
      years.push(current);
    }
    // Integer minor units: these sums are exact.
    current.count += 1;
    current.payment += row.payment;
    current.interest += row.interest;
    current.principal += row.principal;
    current.closingBalance = row.balance;
  }
  return years;
}

/** What is repaid each calendar year, principal and interest stacked: two bars a year. */
export function repaymentsChart(input: {
  readonly currency: CurrencyCode;
  readonly installments: readonly ReportInstallment[];
}): string {
  const width = 340;
  const height = 200;
  const plot: Plot = { left: 46, top: 14, width: 282, height: 150 };
  const years = annualTotals(input.installments);
  const scale = niceScale(
    Math.max(...years.map((yr) => Math.max(0, yr.principal) + Math.max(0, yr.interest)), 1),
  );
  const slot = plot.width / years.length;
  const barWidth = Math.min(34, slot * 0.62);
  const h = (v: number) => (Math.max(0, v) / scale.max) * plot.height;
  const baseline = plot.top + plot.height;
  const labelEvery = Math.max(1, Math.ceil(years.length / 8));
  let bars = '';
  years.forEach((yr, i) => {
    const x = plot.left + slot * i + (slot - barWidth) / 2;
    const hp = h(yr.principal);
    const hi = h(yr.interest);
    bars +=
      `<rect data-bar="principal" data-year="${yr.year}" x="${c(x)}" y="${c(baseline - hp)}" width="${c(barWidth)}" height="${c(hp)}" fill="${CHART_COLOURS.principal}"/>` +
      `<rect data-bar="interest" data-year="${yr.year}" x="${c(x)}" y="${c(baseline - hp - hi)}" width="${c(barWidth)}" height="${c(hi)}" fill="${CHART_COLOURS.interest}"/>` +
      (i % labelEvery === 0
        ? `<text x="${c(x + barWidth / 2)}" y="${c(baseline + 12)}" text-anchor="middle" class="tick">${yr.year}</text>`
        : '');
  });
  return (
    svgOpen('repayments', width, height, 'Principal and interest repaid per calendar year') +
    yAxis(plot, scale, (v) => formatMoneyCompact(v, input.currency)) +
    bars +
    `<line x1="${c(plot.left)}" x2="${c(plot.left + plot.width)}" y1="${c(baseline)}" y2="${c(baseline)}" stroke="${CHART_COLOURS.axis}" stroke-width="0.8"/>` +
    legend(
      [
        { colour: CHART_COLOURS.principal, label: 'Principal repaid' },
        { colour: CHART_COLOURS.interest, label: 'Interest paid' },
      ],
      plot.left,
      height - 6,
    ) +
    '</svg>'
  );
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The score's components as horizontal bars: each track is as long as the component's maximum
 * (so the weights show), each fill as long as the points earned. One `data-bar="component"` each.
 */
export function scoreComponentsChart(components: readonly ReportScoreComponent[]): string {
  const width = 680;
  const row = 21;
  const top = 6;
  const labelWidth = 218;
  const trackMax = 360;
  const height = top + components.length * row + 4;
  const maxOfMax = Math.max(...components.map((comp) => comp.maxPoints));
  let rows = '';
  components.forEach((comp, i) => {
    const y = top + i * row;
    const track = (comp.maxPoints / maxOfMax) * trackMax;
    const share = Math.min(1, Math.max(0, comp.points / comp.maxPoints));
    const fill = track * share;
    const x0 = labelWidth + 8;
    rows +=
      `<text x="${labelWidth}" y="${c(y + 13)}" text-anchor="end" class="label">${escapeXml(truncate(comp.label, 42))}</text>` +
      `<rect x="${x0}" y="${c(y + 3)}" width="${c(track)}" height="13" rx="2" fill="${CHART_COLOURS.track}"/>` +
      `<rect data-bar="component" x="${x0}" y="${c(y + 3)}" width="${c(fill)}" height="13" rx="2" fill="${CHART_COLOURS.principal}"/>` +
      `<text x="${c(x0 + trackMax + 10)}" y="${c(y + 13)}" class="value">${escapeXml(`${formatNumber(comp.points, 1)} / ${formatNumber(comp.maxPoints, 0)}`)}</text>`;
  });
  return svgOpen('score-components', width, height, 'Green score points by component') + rows + '</svg>';
}

const SOURCE_LABELS: Record<string, string> = {
  electricity: 'Electricity',
  'natural-gas': 'Natural gas',
  'electricity-td-losses': 'Grid T&D losses',
};
/** A readable name for an energy source key (`natural-gas` → "Natural gas"). */
export function energySourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source.charAt(0).toUpperCase() + source.slice(1).replace(/-/g, ' ');
}

/**
 * CO2e the project saves in each year of its lifetime, stacked by energy source: one bar per
 * source per year (`data-bar="co2"`), so n years × s sources marks.
 */
export function co2SavingsChart(co2: ReportCo2Savings): string {
  const width = 340;
  const height = 200;
  const plot: Plot = { left: 40, top: 14, width: 288, height: 150 };
  const scale = niceScale(Math.max(co2.tco2ePerYear, 0.001));
  const years = co2.lifetimeYears;
  const slot = plot.width / years;
  const barWidth = Math.min(30, slot * 0.62);
  const baseline = plot.top + plot.height;
  const labelEvery = Math.max(1, Math.ceil(years / 12));
  let bars = '';
  for (let year = 1; year <= years; year++) {
    const x = plot.left + slot * (year - 1) + (slot - barWidth) / 2;
    let stack = 0;
    co2.breakdown.forEach((line, i) => {
      const hgt = (line.tco2ePerYear / scale.max) * plot.height;
      bars += `<rect data-bar="co2" data-year="${year}" data-source="${escapeXml(line.source)}" x="${c(x)}" y="${c(baseline - stack - hgt)}" width="${c(barWidth)}" height="${c(hgt)}" fill="${CHART_COLOURS.sources[i % CHART_COLOURS.sources.length]}"/>`;
      stack += hgt;
    });
    if ((year - 1) % labelEvery === 0)
      bars += `<text x="${c(x + barWidth / 2)}" y="${c(baseline + 12)}" text-anchor="middle" class="tick">Y${year}</text>`;
  }
  return (
    svgOpen('co2-savings', width, height, 'CO2e saved per year of the project') +
    yAxis(plot, scale, (v) => formatNumber(v, scale.step < 1 ? 1 : 0)) +
    bars +
    `<line x1="${c(plot.left)}" x2="${c(plot.left + plot.width)}" y1="${c(baseline)}" y2="${c(baseline)}" stroke="${CHART_COLOURS.axis}" stroke-width="0.8"/>` +
    `<text x="${c(plot.left - 36)}" y="${c(plot.top - 4)}" class="tick">tCO2e</text>` +
    legend(
      co2.breakdown.map((line, i) => ({
        colour: CHART_COLOURS.sources[i % CHART_COLOURS.sources.length]!,
        label: energySourceLabel(line.source),
      })),
      plot.left,
      height - 6,
    ) +
    '</svg>'
  );
}

/**
 * Financed scope 1+2 emissions per reporting year as the balance falls: one `data-bar="financed"`
 * per year, each labelled with its tonnes and attribution factor.
 */
export function financedEmissionsChart(years: readonly ReportFinancedEmissionsYear[]): string {
  const width = 340;
  const height = 200;
  const plot: Plot = { left: 40, top: 16, width: 288, height: 140 };
  const scale = niceScale(Math.max(...years.map((y) => y.financedScope1And2), 0.001));
  const slot = plot.width / years.length;
  const barWidth = Math.min(32, slot * 0.62);
  const baseline = plot.top + plot.height;
  // Past ten years the labels would collide: keep every k-th, and the values in the table.
  const labelEvery = Math.max(1, Math.ceil(years.length / 10));
  let bars = '';
  years.forEach((yr, i) => {
    const x = plot.left + slot * i + (slot - barWidth) / 2;
    const hgt = (yr.financedScope1And2 / scale.max) * plot.height;
    const mid = c(x + barWidth / 2);
    bars += `<rect data-bar="financed" data-year="${yr.year}" x="${c(x)}" y="${c(baseline - hgt)}" width="${c(barWidth)}" height="${c(hgt)}" fill="${CHART_COLOURS.financed}"/>`;
    if (i % labelEvery !== 0) return;
    bars +=
      (labelEvery === 1
        ? `<text x="${mid}" y="${c(baseline - hgt - 3)}" text-anchor="middle" class="value-small">${escapeXml(formatNumber(yr.financedScope1And2, 1))}</text>`
        : '') +
      `<text x="${mid}" y="${c(baseline + 12)}" text-anchor="middle" class="tick">${yr.year}</text>` +
      `<text x="${mid}" y="${c(baseline + 23)}" text-anchor="middle" class="tick-muted">${escapeXml(formatPercent(yr.attributionFactor, 1))}</text>`;
  });
  return (
    svgOpen('financed-emissions', width, height, 'Financed scope 1+2 emissions per reporting year') +
    yAxis(plot, scale, (v) => formatNumber(v, scale.step < 1 ? 1 : 0)) +
    bars +
    `<line x1="${c(plot.left)}" x2="${c(plot.left + plot.width)}" y1="${c(baseline)}" y2="${c(baseline)}" stroke="${CHART_COLOURS.axis}" stroke-width="0.8"/>` +
    `<text x="${c(plot.left - 36)}" y="${c(plot.top - 6)}" class="tick">tCO2e</text>` +
    `<text x="${c(plot.left)}" y="${c(height - 4)}" class="legend">Bars: financed scope 1+2 (tCO2e); below each year: attribution factor</text>` +
    '</svg>'
  );
}
