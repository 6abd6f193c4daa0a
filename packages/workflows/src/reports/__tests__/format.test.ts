import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatMoneyCompact,
  formatNumber,
  formatPercent,
  formatPp,
  formatTonnes,
} from '../format.js';

describe('report formatting', () => {
  it('prints money exactly, with symbol, thousands separators and the currency’s decimals', () => {
    expect(formatMoney(50_000_000, 'GBP')).toBe('£500,000.00');
    expect(formatMoney(978_307, 'GBP')).toBe('£9,783.07');
    expect(formatMoney(5, 'GBP')).toBe('£0.05');
    expect(formatMoney(0, 'EUR')).toBe('€0.00');
    expect(formatMoney(-705_141, 'GBP')).toBe('−£7,051.41');
    expect(formatMoney(123_456_789, 'JPY')).toBe('¥123,456,789');
    expect(formatMoney(1_500, 'CHF')).toBe('CHF 15.00');
    // Beyond float-safe decimals: still exact, because it goes through core's decimal string.
    expect(formatMoney(9_007_199_254_740_991, 'GBP')).toBe('£90,071,992,547,409.91');
  });

  it('refuses amounts that are not minor units', () => {
    expect(() => formatMoney(1.5, 'GBP')).toThrow(/amount/);
  });

  it('prints compact axis labels', () => {
    expect(formatMoneyCompact(50_000_000, 'GBP')).toBe('£500k');
    expect(formatMoneyCompact(120_000_000, 'GBP')).toBe('£1.2m');
    expect(formatMoneyCompact(0, 'GBP')).toBe('£0');
    expect(formatMoneyCompact(25_000, 'USD')).toBe('$250');
  });

  it('prints rates, points, tonnes and plain numbers', () => {
    expect(formatPercent(0.065)).toBe('6.50%');
    expect(formatPercent(0.0692, 1)).toBe('6.9%');
    expect(formatPp(0.005)).toBe('0.50 pp');
    expect(formatPp(-0.005)).toBe('−0.50 pp');
    expect(formatTonnes(688.096)).toBe('688.1 tCO2e');
    expect(formatNumber(1234567.891, 2)).toBe('1,234,567.89');
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
  });

  it('prints dates without the machine’s locale or time zone', () => {
    expect(formatDate('2025-02-15')).toBe('15 Feb 2025');
    expect(formatDate('2030-12-01T23:59:59Z')).toBe('1 Dec 2030');
    expect(formatDateTime('2026-11-22T10:15:30Z')).toBe('22 Nov 2026, 10:15 UTC');
    expect(formatDateTime('2026-11-22T23:30:00-02:00')).toBe('23 Nov 2026, 01:30 UTC');
    expect(() => formatDate('15/02/2025')).toThrow(RangeError);
    expect(() => formatDateTime('yesterday')).toThrow(RangeError);
  });
});
