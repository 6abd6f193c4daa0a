/**
 * Reading typed values out of one CSV record, collecting every problem as `column: why, got "…"`
 * so a rejected line lists all its faults at once. An empty cell (or spaces only) is a missing
 * value: `null` where the column is optional, an error where it is required.
 */
import { isLeapYear } from '@greenfin/core';
import type { BoundColumns } from './header.js';
import type { RowResult } from './types.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** A value quoted for a message, shortened so a reason stays readable. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** True when `y-m-d` is a real Gregorian calendar date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** A record's cell at `index`, trimmed; `''` past the record's end. */
export function cellAt(values: readonly string[], index: number): string {
  return (values[index] ?? '').trim();
}

/**
 * A trimmed, non-empty cell as a safe integer in `[min, max]` (`-0` read as `0`); `undefined` when
 * it is not one. What {@link FieldReader.integer} accepts, for fast paths that skip the reader.
 */
export function integerIn(value: string, min: number, max: number | undefined): number | undefined {
  const n = INTEGER.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max) ? n + 0 : undefined;
}

/**
 * A trimmed, non-empty cell as a finite decimal within the bounds (`-0` read as `0`); `undefined`
 * when it is not one. What {@link FieldReader.number} accepts, for fast paths that skip the reader.
 */
export function numberIn(
  value: string,
  min: number | undefined,
  max: number | undefined,
  minExclusive = false,
): number | undefined {
  const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
  const inRange =
    Number.isFinite(n) &&
    (min === undefined || (minExclusive ? n > min : n >= min)) &&
    (max === undefined || n <= max);
  return inRange ? n + 0 : undefined;
}

/** Reads one record's cells by canonical column name. */
export class FieldReader {
  readonly errors: string[] = [];

  /** @param values the record's values, in header order. */
  constructor(
    private readonly values: readonly string[],
    private readonly columns: BoundColumns,
  ) {}

  /** The cell, trimmed; `''` for an empty cell or a column the header does not have. */
  cell(column: string): string {
    const index = this.columns.indexes.get(column);
    return index === undefined ? '' : cellAt(this.values, index);
  }

  /** Records a problem with `column`, named as the file's header names it. */
  fail(column: string, message: string): void {
    this.errors.push(`${this.columns.names.get(column) ?? column}: ${message}`);
  }

  /** Text; `null` when empty and optional. */
  text(column: string, opts: { required?: boolean; maxLength?: number } = {}): string | null {
    const value = this.cell(column);
    if (value === '') {
      if (opts.required) this.fail(column, 'is required');
      return null;
    }
    if (opts.maxLength !== undefined && value.length > opts.maxLength) {
      this.fail(column, `must be at most ${opts.maxLength} characters, got ${value.length}`);
      return null;
    }
    return value;
  }

  /**
   * A finite decimal number (`12`, `-0.5`, `1.2e-05`) within the bounds. `describe` replaces the
   * generic "must be a number ≥ 0" wording, e.g. "must be a fraction between 0 and 1".
   */
  number(
    column: string,
    opts: { required?: boolean; min?: number; max?: number; minExclusive?: boolean; describe?: string } = {},
  ): number | null {
    const value = this.cell(column);
    if (value === '') {
      if (opts.required) this.fail(column, 'is required');
      return null;
    }
    const { min, max, minExclusive } = opts;
    const n = numberIn(value, min, max, minExclusive);
    if (n !== undefined) return n;
    let why = opts.describe ?? describeRange(min, max, minExclusive);
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) why += ' (no thousands separators)';
    else if (/%$/.test(value)) why += ' (no percent sign: 45% is 0.45)';
    this.fail(column, `${why}, got ${quote(value)}`);
    return null;
  }

  /** A safe integer within `[min, max]`. */
  integer(
    column: string,
    opts: { required?: boolean; min: number; max?: number; describe?: string },
  ): number | null {
    const value = this.cell(column);
    if (value === '') {
      if (opts.required) this.fail(column, 'is required');
      return null;
    }
    const n = integerIn(value, opts.min, opts.max);
    if (n !== undefined) return n;
    const range = opts.max === undefined ? `≥ ${opts.min}` : `between ${opts.min} and ${opts.max}`;
    this.fail(column, `${opts.describe ?? `must be an integer ${range}`}, got ${quote(value)}`);
    return null;
  }

  /**
   * A calendar date as ISO `YYYY-MM-DD`; with `ukFormat`, `DD/MM/YYYY` too (how a spreadsheet
   * re-saves Companies House dates). Years outside `[minYear, maxYear]` are errors.
   */
  date(
    column: string,
    opts: { required?: boolean; ukFormat?: boolean; minYear: number; maxYear: number },
  ): string | null {
    const value = this.cell(column);
    if (value === '') {
      if (opts.required) this.fail(column, 'is required');
      return null;
    }
    let y = 0;
    let m = 0;
    let d = 0;
    const iso = ISO_DATE.exec(value);
    const uk = iso || !opts.ukFormat ? null : UK_DATE.exec(value);
    if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    else if (uk) [d, m, y] = [Number(uk[1]), Number(uk[2]), Number(uk[3])];
    const format = opts.ukFormat ? 'YYYY-MM-DD or DD/MM/YYYY' : 'YYYY-MM-DD';
    if (!(iso || uk) || !isCalendarDate(y, m, d)) {
      this.fail(column, `must be a calendar date ${format}, got ${quote(value)}`);
      return null;
    }
    if (y < opts.minYear || y > opts.maxYear) {
      this.fail(column, `must be a date between ${opts.minYear} and ${opts.maxYear}, got ${quote(value)}`);
      return null;
    }
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }

  /** `true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0` (any case); `null` when empty. */
  boolean(column: string): boolean | null {
    const value = this.cell(column).toLowerCase();
    if (value === '') return null;
    if (value === 'true' || value === 'yes' || value === 'y' || value === '1') return true;
    if (value === 'false' || value === 'no' || value === 'n' || value === '0') return false;
    this.fail(column, `must be true or false (yes/no, 1/0), got ${quote(this.cell(column))}`);
    return null;
  }

  /** The rows built by `build` when no field failed, else the joined reasons. */
  result<Row>(build: () => Row | readonly Row[]): RowResult<Row> {
    if (this.errors.length > 0) return { ok: false, reason: this.errors.join('; ') };
    const built = build();
    return { ok: true, rows: Array.isArray(built) ? (built as readonly Row[]) : [built as Row] };
  }
}

function describeRange(
  min: number | undefined,
  max: number | undefined,
  minExclusive: boolean | undefined,
): string {
  if (min !== undefined && max !== undefined) return `must be a number between ${min} and ${max}`;
  if (min !== undefined) return `must be a number ${minExclusive ? '>' : '≥'} ${min}`;
  if (max !== undefined) return `must be a number ≤ ${max}`;
  return 'must be a number';
}
