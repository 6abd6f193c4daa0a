/**
 * One error class for every input problem in `@greenfin/core`, with a stable code and the path of
 * the offending field, so callers (and the API's problem-details middleware) can say which field
 * was wrong and why.
 */

/** Stable, documented error codes. Consumers switch on these, never on messages. */
export const ErrorCode = {
  /** A value has the wrong type or is not finite (NaN, Infinity). */
  InvalidType: 'invalid_type',
  /** A number is outside the range the field allows (negative principal, rate ≤ −100 %…). */
  OutOfRange: 'out_of_range',
  /** A money amount is not a safe integer number of minor units. */
  NotMinorUnits: 'not_minor_units',
  /** A currency code is not a known ISO 4217 code. */
  UnknownCurrency: 'unknown_currency',
  /** Two money amounts of different currencies were combined. */
  CurrencyMismatch: 'currency_mismatch',
  /** A value is not one of the allowed options (day count, frequency, method…). */
  InvalidOption: 'invalid_option',
  /** A date is not a valid ISO `YYYY-MM-DD` calendar date. */
  InvalidDate: 'invalid_date',
  /** Dates are not in the order the calculation needs. */
  DatesOutOfOrder: 'dates_out_of_order',
  /** A required field is missing. */
  Required: 'required',
  /** An iterative solver (APR) found no root in the admissible range. */
  NoSolution: 'no_solution',
  /** A pattern (categorisation regex) does not compile. */
  InvalidPattern: 'invalid_pattern',
  /** Two entries share an identifier that must be unique (rule ids…). */
  Duplicate: 'duplicate',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Thrown for any invalid input. `path` is a dotted/indexed path into the caller's input
 * (`"payments[3].date"`), `code` one of {@link ErrorCode}.
 *
 * @example
 * try { schedule({ ...input, principal: -1 }) }
 * catch (e) { if (e instanceof GreenfinError) console.log(e.code, e.path) } // "out_of_range" "principal"
 */
export class GreenfinError extends Error {
  override readonly name = 'GreenfinError';
  constructor(
    readonly code: ErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

/** Throws a {@link GreenfinError} unless `condition` holds. The one assertion helper of the package. */
export function invariant(
  condition: unknown,
  code: ErrorCode,
  path: string,
  message: string,
): asserts condition {
  if (!condition) throw new GreenfinError(code, path, message);
}

/** Asserts `value` is a finite number. */
export function assertFinite(value: unknown, path: string): asserts value is number {
  // Checked before the message is built: these run on every input of every hot path.
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GreenfinError(ErrorCode.InvalidType, path, `must be a finite number, got ${String(value)}`);
  }
}

/** Asserts `value` is a finite number within `[min, max]` (either bound optional). */
export function assertInRange(
  value: unknown,
  path: string,
  bounds: { min?: number; max?: number; minExclusive?: boolean },
): asserts value is number {
  assertFinite(value, path);
  const { min, max, minExclusive } = bounds;
  // Messages are built only on failure (this runs on every rate of every schedule).
  if (min !== undefined && !(minExclusive ? value > min : value >= min)) {
    throw new GreenfinError(
      ErrorCode.OutOfRange,
      path,
      `must be ${minExclusive ? '>' : '≥'} ${min}, got ${value}`,
    );
  }
  if (max !== undefined && !(value <= max)) {
    throw new GreenfinError(ErrorCode.OutOfRange, path, `must be ≤ ${max}, got ${value}`);
  }
}

/** Asserts `value` is a safe integer (optionally ≥ `min`). */
export function assertInteger(value: unknown, path: string, min?: number): asserts value is number {
  assertFinite(value, path);
  if (!Number.isSafeInteger(value)) {
    throw new GreenfinError(ErrorCode.InvalidType, path, `must be an integer, got ${value}`);
  }
  if (min !== undefined && !(value >= min)) {
    throw new GreenfinError(ErrorCode.OutOfRange, path, `must be ≥ ${min}, got ${value}`);
  }
}

/** Asserts `value` is one of `options`. */
export function assertOneOf<T extends string>(
  value: unknown,
  options: readonly T[],
  path: string,
): asserts value is T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    const allowed = options.map((o) => `'${o}'`).join(', ');
    throw new GreenfinError(
      ErrorCode.InvalidOption,
      path,
      `must be one of ${allowed}, got ${JSON.stringify(value)}`,
    );
  }
}
