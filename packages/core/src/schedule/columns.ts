/**
 * A schedule's rows as one array per field: the same values in about a third of the JSON (no key
 * repeated per row), for storing or sending many schedules.
 */
import { ErrorCode, GreenfinError } from '../errors.js';
import type { Installment } from './schedule.js';

/** Instalment rows by column. Row `i` is instalment number `i + 1`. */
export interface ScheduleColumns {
  readonly format: 'columns';
  readonly date: readonly string[];
  readonly days: readonly number[];
  readonly payment: readonly number[];
  readonly interest: readonly number[];
  readonly principal: readonly number[];
  readonly balance: readonly number[];
}

const FIELDS = ['date', 'days', 'payment', 'interest', 'principal', 'balance'] as const;

/**
 * The rows by column (`number` is implied by position).
 *
 * @example
 * const columns = toScheduleColumns(schedule(input).installments);
 * JSON.stringify(columns) // {"format":"columns","date":["2024-02-01",…],"days":[31,…],"payment":[…],…}
 * @throws {GreenfinError} `out_of_range` when the rows are not numbered 1, 2, … in order.
 */
export function toScheduleColumns(rows: readonly Installment[]): ScheduleColumns {
  const n = rows.length;
  const date = new Array<string>(n);
  const days = new Array<number>(n);
  const payment = new Array<number>(n);
  const interest = new Array<number>(n);
  const principal = new Array<number>(n);
  const balance = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row.number !== i + 1) {
      throw new GreenfinError(ErrorCode.OutOfRange, `[${i}].number`, `must be ${i + 1}, got ${row.number}`);
    }
    date[i] = row.date;
    days[i] = row.days;
    payment[i] = row.payment;
    interest[i] = row.interest;
    principal[i] = row.principal;
    balance[i] = row.balance;
  }
  return { format: 'columns', date, days, payment, interest, principal, balance };
}

/**
 * The rows of {@link toScheduleColumns}'s output (or of rows given as they are: an array of
 * instalments is returned unchanged, so stores holding both forms read either).
 *
 * @example fromScheduleColumns(toScheduleColumns(rows)) // deep-equal to rows
 * @throws {GreenfinError} `invalid_type` when the columns differ in length.
 */
export function fromScheduleColumns(stored: ScheduleColumns | readonly Installment[]): Installment[] {
  if (Array.isArray(stored)) return stored as Installment[];
  const columns = stored as ScheduleColumns;
  const n = columns.date.length;
  for (const field of FIELDS) {
    if (columns[field]?.length !== n) {
      throw new GreenfinError(
        ErrorCode.InvalidType,
        field,
        `must have ${n} entries, got ${columns[field]?.length}`,
      );
    }
  }
  const rows = new Array<Installment>(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      number: i + 1,
      date: columns.date[i]!,
      days: columns.days[i]!,
      payment: columns.payment[i]!,
      interest: columns.interest[i]!,
      principal: columns.principal[i]!,
      balance: columns.balance[i]!,
    };
  }
  return rows;
}
