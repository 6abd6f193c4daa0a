/**
 * How figures read in a report: money with its symbol and thousands separators (exact, from core's
 * decimal string — never through a float), percentages, percentage points, tonnes and dates.
 * Deterministic: no locale or time zone of the machine leaks into a document.
 */
import { currencyExponent, toDecimalString, type CurrencyCode } from '@greenfin/core';

const SYMBOLS: Partial<Record<string, string>> = { GBP: '£', EUR: '€', USD: '$', JPY: '¥' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** U+2212: a true minus sign reads better than a hyphen in figures. */
const MINUS = '\u2212';

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Minor units as money: symbol (or ISO code), thousands separators, the currency's decimals.
 *
 * @example formatMoney(50_000_000, 'GBP') // "£500,000.00"
 * @example formatMoney(-705_141, 'GBP')   // "−£7,051.41"
 * @example formatMoney(1_500, 'CHF')      // "CHF 15.00"
 */
export function formatMoney(amount: number, currency: CurrencyCode): string {
  const decimal = toDecimalString({ amount, currency });
  const negative = decimal.startsWith('-');
  const [whole = '', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const body = fraction === undefined ? group(whole) : `${group(whole)}.${fraction}`;
  const symbol = SYMBOLS[currency];
  const withSymbol = symbol ? `${symbol}${body}` : `${currency} ${body}`;
  return negative ? `${MINUS}${withSymbol}` : withSymbol;
}

/**
 * Minor units as a short axis label (£500k, £1.2m). For chart ticks only: it rounds.
 *
 * @example formatMoneyCompact(50_000_000, 'GBP') // "£500k"
 */
export function formatMoneyCompact(amount: number, currency: CurrencyCode): string {
  const major = amount / 10 ** currencyExponent(currency);
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  const abs = Math.abs(major);
  const sign = major < 0 ? MINUS : '';
  const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  if (abs >= 1e6) return `${sign}${symbol}${trim(Math.round(abs / 1e5) / 10)}m`;
  if (abs >= 1e3) return `${sign}${symbol}${trim(Math.round(abs / 1e2) / 10)}k`;
  return `${sign}${symbol}${trim(Math.round(abs * 10) / 10)}`;
}

/** A plain number with thousands separators and a fixed number of decimals (−0 prints as 0). */
export function formatNumber(value: number, decimals = 0): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '', fraction] = fixed.split('.');
  const body = fraction === undefined ? group(whole) : `${group(whole)}.${fraction}`;
  return value < 0 && Number(fixed) !== 0 ? `${MINUS}${body}` : body;
}

/**
 * A rate held as a fraction, as a percentage.
 *
 * @example formatPercent(0.065) // "6.50%"
 */
export function formatPercent(rate: number, decimals = 2): string {
  return `${formatNumber(rate * 100, decimals)}%`;
}

/**
 * A rate difference held as a fraction, in percentage points.
 *
 * @example formatPp(0.005) // "0.50 pp"
 */
export function formatPp(rate: number, decimals = 2): string {
  return `${formatNumber(rate * 100, decimals)} pp`;
}

/**
 * Tonnes of CO2e.
 *
 * @example formatTonnes(688.096) // "688.1 tCO2e"
 */
export function formatTonnes(tonnes: number, decimals = 1): string {
  return `${formatNumber(tonnes, decimals)} tCO2e`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * An ISO date (or the date part of an ISO date-time) as "15 Feb 2025".
 *
 * @example formatDate('2025-02-15') // "15 Feb 2025"
 */
export function formatDate(iso: string): string {
  const m = ISO_DATE.exec(iso);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) throw new RangeError(`not an ISO date: ${JSON.stringify(iso)}`);
  return `${Number(m[3])} ${month} ${m[1]}`;
}

/**
 * An ISO date-time as "22 Nov 2026, 10:15 UTC" — always in UTC, so the same instant prints the
 * same everywhere.
 *
 * @example formatDateTime('2026-11-22T10:15:30Z') // "22 Nov 2026, 10:15 UTC"
 */
export function formatDateTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) throw new RangeError(`not an ISO date-time: ${JSON.stringify(iso)}`);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}, ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())} UTC`;
}
