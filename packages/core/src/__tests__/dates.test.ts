import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { addMonths, daysBetween, formatDate, fromDayNumber, parseDate, toDayNumber } from '../dates.js';
import { yearFraction } from '../day-count.js';
import { GreenfinError } from '../errors.js';

describe('dates', () => {
  it('agrees with the JavaScript Date UTC epoch day count', () => {
    for (const iso of ['1970-01-01', '1978-01-10', '2000-02-29', '2024-12-31', '1899-03-01', '2400-02-29']) {
      expect(toDayNumber(parseDate(iso))).toBe(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
    }
  });
  test.prop([fc.integer({ min: -200_000, max: 200_000 })])('day numbers round-trip', (n) => {
    expect(toDayNumber(fromDayNumber(n))).toBe(n);
    expect(formatDate(fromDayNumber(n))).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10));
  });
  it('adds months from an anchor, clamping to month end', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-01-31', 2)).toBe('2024-03-31');
    expect(addMonths('2024-11-15', 3)).toBe('2025-02-15');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
  });
  it('rejects impossible dates with the field path', () => {
    expect(() => parseDate('2023-02-29', 'startDate')).toThrow(/startDate/);
    expect(() => parseDate('2024-13-01')).toThrow(GreenfinError);
    expect(() => parseDate('24-01-01')).toThrow(GreenfinError);
  });
  it('counts actual days', () => {
    expect(daysBetween('1978-01-10', '1978-02-10')).toBe(31);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
  });
});

describe('yearFraction (2006 ISDA Definitions 4.16 and its worked examples)', () => {
  // ISDA "EMU and market conventions" memo examples: 2003-11-01 → 2004-05-01.
  it('ACT/ACT ISDA splits the period at the year end', () => {
    expect(yearFraction('2003-11-01', '2004-05-01', 'ACT/ACT')).toBeCloseTo(61 / 365 + 121 / 366, 12);
    expect(yearFraction('2003-11-01', '2004-05-01', 'ACT/ACT')).toBeCloseTo(0.497724380567, 12); // ISDA memo: 0.16712329 + 0.33060109
  });
  it('ACT/365F, ACT/360', () => {
    expect(yearFraction('2003-11-01', '2004-05-01', 'ACT/365F')).toBeCloseTo(182 / 365, 12);
    expect(yearFraction('2003-11-01', '2004-05-01', 'ACT/360')).toBeCloseTo(182 / 360, 12);
  });
  it('30/360 bond basis end-of-month rules', () => {
    expect(yearFraction('2024-01-31', '2024-03-31', '30/360')).toBeCloseTo(60 / 360, 12);
    expect(yearFraction('2024-01-30', '2024-03-31', '30/360')).toBeCloseTo(60 / 360, 12);
    expect(yearFraction('2024-01-15', '2024-03-31', '30/360')).toBeCloseTo(76 / 360, 12);
    expect(yearFraction('2024-02-29', '2024-03-31', '30/360')).toBeCloseTo(32 / 360, 12);
    expect(yearFraction('2024-01-01', '2025-01-01', '30/360')).toBe(1);
  });
  it('rejects unknown conventions', () => {
    expect(() => yearFraction('2024-01-01', '2024-02-01', 'ACT/364' as never)).toThrow(GreenfinError);
  });
});
