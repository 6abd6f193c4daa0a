/**
 * `transactions`: a company's bank transactions from a bank's CSV export, read through a column
 * mapping (transaction-mapping.ts: our template, the Berka research layout, UK debit/credit
 * exports, or a custom JSON mapping). Each line becomes one transaction with a signed amount in
 * minor units and core's de-duplication key: identical lines on one day are told apart by their
 * rank in file order, so importing the same file again yields the same keys.
 */
import {
  CURRENCY_EXPONENTS,
  ErrorCode,
  GreenfinError,
  dedupHash,
  fromDecimalString,
  isCurrency,
  transactionDedupKeys,
  type CategorySource,
  type CurrencyCode,
  type IsoDate,
  type Transaction,
} from '@greenfin/core';
import { DatasetHeaderError } from './errors.js';
import { isCalendarDate, quote } from './fields.js';
import { assertNoDuplicateColumns } from './header.js';
import {
  TRANSACTION_FIELDS,
  resolveTransactionMapping,
  type FieldColumns,
  type TransactionDateFormat,
  type TransactionField,
  type TransactionMapping,
} from './transaction-mapping.js';
import type {
  DatasetOptions,
  DatasetSpec,
  DatasetVariant,
  HeaderBinding,
  RowResult,
  TargetTable,
} from './types.js';

/** One transaction as the import stages it. */
export interface TransactionImportRow {
  readonly accountRef: string;
  readonly bookingDate: IsoDate;
  /** Signed integer minor units: + money in, − money out. */
  readonly amount: number;
  readonly currency: CurrencyCode;
  /** The narrative; `''` when the file has none. */
  readonly description: string;
  readonly counterparty: string | null;
  readonly category: string | null;
  /** `import` when the file gave the category, `rule` once a tenant rule set it. */
  readonly categorySource: Extract<CategorySource, 'import' | 'rule'> | null;
  readonly categoryRuleId: string | null;
  readonly balanceAfter: number | null;
  /** core's key without the per-day rank: what identical transactions share. */
  readonly dedupIdentity: string;
  /** core's full key (`…|<rank>`), set once the line's rank in the file is known. */
  readonly dedupKey: string;
  /** sha256 of `dedupKey`; `''` until the rank is known. */
  readonly dedupHash: string;
}

/** The transaction core functions see for an import row. */
export function toTransaction(row: TransactionImportRow): Transaction {
  return {
    accountRef: row.accountRef,
    bookingDate: row.bookingDate,
    amount: row.amount,
    currency: row.currency,
    description: row.description,
    ...(row.counterparty !== null && { counterparty: row.counterparty }),
    ...(row.category !== null && { category: row.category, categorySource: row.categorySource ?? 'import' }),
    ...(row.balanceAfter !== null && { balanceAfter: row.balanceAfter }),
  };
}

/** Gives a row its rank among identical transactions of its day (1 = first in file order). */
export function withDedupRank(row: TransactionImportRow, rank: number): TransactionImportRow {
  const dedupKey = `${row.dedupIdentity}|${rank}`;
  return { ...row, dedupKey, dedupHash: dedupHash(dedupKey) };
}

const MAX_TEXT = { description: 1000, counterparty: 500, category: 100, accountRef: 200 } as const;

const DATE_PATTERNS: Record<TransactionDateFormat, { re: RegExp; order: 'ymd' | 'dmy' | 'mdy' }> = {
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$/, order: 'ymd' },
  'YYYY/MM/DD': { re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T].*)?$/, order: 'ymd' },
  'DD/MM/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/, order: 'dmy' },
  'MM/DD/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/, order: 'mdy' },
  'DD.MM.YYYY': { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: .*)?$/, order: 'dmy' },
  'DD-MM-YYYY': { re: /^(\d{1,2})-(\d{1,2})-(\d{4})(?: .*)?$/, order: 'dmy' },
  YYYYMMDD: { re: /^(\d{4})(\d{2})(\d{2})$/, order: 'ymd' },
  YYMMDD: { re: /^(\d{2})(\d{2})(\d{2})$/, order: 'ymd' },
};

/** Booking years accepted. */
export const TRANSACTION_YEARS = { min: 1900, max: 2100 } as const;

/** Parses `text` in `format` into an ISO date, or says why not. */
export function parseTransactionDate(
  text: string,
  format: TransactionDateFormat,
): { ok: true; date: IsoDate } | { ok: false; reason: string } {
  const { re, order } = DATE_PATTERNS[format];
  const m = re.exec(text);
  let y = 0;
  let mo = 0;
  let d = 0;
  if (m) {
    const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (order === 'ymd') [y, mo, d] = [a, b, c];
    else if (order === 'dmy') [d, mo, y] = [a, b, c];
    else [mo, d, y] = [a, b, c];
    if (format === 'YYMMDD') y += y < 50 ? 2000 : 1900;
  }
  if (!m || !isCalendarDate(y, mo, d)) {
    return { ok: false, reason: `must be a calendar date ${format}, got ${quote(text)}` };
  }
  if (y < TRANSACTION_YEARS.min || y > TRANSACTION_YEARS.max) {
    return {
      ok: false,
      reason: `must be a date between ${TRANSACTION_YEARS.min} and ${TRANSACTION_YEARS.max}, got ${quote(text)}`,
    };
  }
  return {
    ok: true,
    date: `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  };
}

const SYMBOLS = /[£€$¥]/g;

/**
 * Parses a money cell into signed minor units of `currency`, exactly (no floating point):
 * the mapping's separators, an optional `+`/`-` (leading or trailing), accounting parentheses
 * for negatives and a currency symbol are understood.
 */
export function parseTransactionAmount(
  text: string,
  currency: CurrencyCode,
  mapping: Pick<TransactionMapping, 'decimalSeparator' | 'thousandsSeparator'>,
): { ok: true; amount: number } | { ok: false; reason: string } {
  let s = text.trim().replace(SYMBOLS, '').trim();
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (/^[+-]/.test(s)) {
    negative = negative !== (s[0] === '-');
    s = s.slice(1).trim();
  } else if (/[+-]$/.test(s)) {
    negative = negative !== s.endsWith('-');
    s = s.slice(0, -1).trim();
  }
  s = s.replace(SYMBOLS, '').trim();
  const { decimalSeparator: dec, thousandsSeparator: thou } = mapping;
  if (thou !== '') {
    s = thou === ' ' ? s.replace(/[ \u00a0\u202f]/g, '') : s.split(thou).join('');
  }
  if (dec === ',') s = s.replace(',', '.');
  if (s.startsWith('.')) s = `0${s}`;
  if (s.endsWith('.')) s = s.slice(0, -1);
  const example = dec === ',' ? '"1234,56"' : '"1234.56"';
  if (!/^\d+(?:\.\d+)?$/.test(s)) {
    const hint =
      thou === '' && /^[+-]?\d{1,3}([,.' ]\d{3})+([.,]\d+)?$/.test(text.trim())
        ? ' (set thousandsSeparator in the mapping, or remove the separators)'
        : '';
    return { ok: false, reason: `must be an amount like ${example}${hint}, got ${quote(text)}` };
  }
  try {
    const { amount } = fromDecimalString(`${negative ? '-' : ''}${s}`, currency);
    return { ok: true, amount: amount === 0 ? 0 : amount };
  } catch (error) {
    if (!(error instanceof GreenfinError)) throw error;
    const why =
      error.code === ErrorCode.NotMinorUnits
        ? `${currency} has ${CURRENCY_EXPONENTS[currency]} decimal places`
        : error.code === ErrorCode.OutOfRange
          ? 'is too large'
          : `must be an amount like ${example}`;
    return { ok: false, reason: `${why}, got ${quote(text)}` };
  }
}

/** One field bound to the file's header: the header names of its parts, in order. */
type Bound = Partial<Record<TransactionField, readonly string[]>>;

function bindColumns(
  header: readonly string[],
  mapping: TransactionMapping,
): { ok: true; bound: Bound; used: string[] } | { ok: false; missing: string[] } {
  const lower = new Map<string, string>();
  for (const name of header)
    if (name !== '' && !lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), name);
  const bound: Bound = {};
  const missing: string[] = [];
  const used: string[] = [];
  const active = activeFields(mapping);
  for (const field of active) {
    const columns: FieldColumns | undefined = mapping.columns[field];
    if (columns === undefined) continue;
    const names: string[] = [];
    const lacking: string[] = [];
    for (const alternatives of columns.parts) {
      const found = alternatives.map((a) => lower.get(a.toLowerCase())).find((n) => n !== undefined);
      if (found === undefined) lacking.push(alternatives.join('" or "'));
      else names.push(found);
    }
    if (lacking.length > 0 && !columns.optional) missing.push(...lacking);
    else if (names.length > 0) {
      bound[field] = names;
      used.push(...names);
    }
  }
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, bound, used };
}

/** The fields a mapping reads, given its sign convention, in documentation order. */
function activeFields(m: TransactionMapping): TransactionField[] {
  const inactive = new Set<TransactionField>(
    m.sign === 'debit-credit' ? ['amount', 'direction'] : ['debit', 'credit'],
  );
  if (m.sign !== 'direction') inactive.add('direction');
  return TRANSACTION_FIELDS.filter((f) => !inactive.has(f));
}

/** Reads one record's fields and collects every problem, as `column: why`. */
class TransactionFields {
  readonly errors: string[] = [];
  constructor(
    /** The record's values, in header order. */
    private readonly values: readonly string[],
    /** Header name → position of its value. */
    private readonly positions: ReadonlyMap<string, number>,
    private readonly bound: Bound,
    /** Per field, cell values that mean "none" (Berka's partner account `0`). */
    private readonly blanks: Partial<Record<TransactionField, ReadonlySet<string>>>,
  ) {}

  /** The field's column name(s) for a message. */
  label(field: TransactionField): string {
    return (this.bound[field] ?? [field]).join('+');
  }

  /** Parts trimmed and joined with a space (empty parts skipped); `''` when unbound or empty. */
  text(field: TransactionField): string {
    const names = this.bound[field];
    if (names === undefined) return '';
    const blank = this.blanks[field];
    if (names.length === 1 && blank === undefined) return this.cell(names[0]!);
    const parts: string[] = [];
    for (const name of names) {
      const v = this.cell(name);
      if (v !== '' && !blank?.has(v)) parts.push(v);
    }
    return parts.join(' ');
  }

  /** The value under header column `name`, trimmed. */
  private cell(name: string): string {
    return (this.values[this.positions.get(name)!] ?? '').trim();
  }

  fail(field: TransactionField, message: string): void {
    this.errors.push(`${this.label(field)}: ${message}`);
  }
}

function limited(
  f: TransactionFields,
  field: 'description' | 'counterparty' | 'category',
  value: string,
): string | null {
  if (value === '') return null;
  if (value.length > MAX_TEXT[field]) {
    f.fail(field, `must be at most ${MAX_TEXT[field]} characters, got ${value.length}`);
    return null;
  }
  return value;
}

function parser(mapping: TransactionMapping, bound: Bound, header: readonly string[]) {
  const positions = new Map<string, number>();
  header.forEach((name, i) => {
    if (!positions.has(name)) positions.set(name, i);
  });
  const blanks: Partial<Record<TransactionField, ReadonlySet<string>>> = {};
  for (const [field, columns] of Object.entries(mapping.columns) as [TransactionField, FieldColumns][]) {
    if (columns.blank !== undefined) blanks[field] = new Set(columns.blank);
  }
  const inflow = new Set(mapping.direction?.inflow.map((v) => v.toLowerCase()));
  const outflow = new Set(mapping.direction?.outflow.map((v) => v.toLowerCase()));
  const money = (
    f: TransactionFields,
    field: TransactionField,
    currency: CurrencyCode | null,
  ): number | null => {
    const text = f.text(field);
    if (text === '' || currency === null) return null;
    const parsed = parseTransactionAmount(text, currency, mapping);
    if (parsed.ok) return parsed.amount;
    f.fail(field, parsed.reason);
    return null;
  };

  return (values: readonly string[]): RowResult<TransactionImportRow> => {
    const f = new TransactionFields(values, positions, bound, blanks);
    // Account: its column(s), else the mapping's fixed account. Spreadsheets prefix sort codes with '.
    let accountRef = bound.accountRef
      ? f.text('accountRef').replace(/^'/, '').trim()
      : (mapping.accountRef ?? '');
    if (accountRef === '') f.fail('accountRef', 'is required');
    else if (accountRef.length > MAX_TEXT.accountRef) {
      f.fail('accountRef', `must be at most ${MAX_TEXT.accountRef} characters, got ${accountRef.length}`);
      accountRef = '';
    }

    const dateText = f.text('bookingDate');
    let bookingDate: IsoDate | null = null;
    if (dateText === '') f.fail('bookingDate', 'is required');
    else {
      const parsed = parseTransactionDate(dateText, mapping.dateFormat);
      if (parsed.ok) bookingDate = parsed.date;
      else f.fail('bookingDate', parsed.reason);
    }

    let currency: CurrencyCode | null = mapping.currency ?? null;
    if (bound.currency) {
      const code = f.text('currency').toUpperCase();
      if (code === '') {
        if (currency === null) f.fail('currency', 'is required');
      } else if (isCurrency(code)) currency = code;
      else {
        currency = null;
        f.fail('currency', `must be an ISO 4217 currency code such as GBP, got ${quote(f.text('currency'))}`);
      }
    }

    let amount: number | null = null;
    if (mapping.sign === 'debit-credit') {
      const debit = money(f, 'debit', currency);
      const credit = money(f, 'credit', currency);
      const hasDebit = debit !== null && debit !== 0;
      const hasCredit = credit !== null && credit !== 0;
      if (hasDebit && hasCredit) {
        f.fail(
          'debit',
          `and ${f.label('credit')} are both filled; a line is money out or money in, not both`,
        );
      } else if (hasDebit) amount = -Math.abs(debit);
      else if (hasCredit) amount = Math.abs(credit);
      else if (debit === 0 || credit === 0) amount = 0;
      else if (f.text('debit') === '' && f.text('credit') === '' && currency !== null) {
        f.fail('debit', `or ${f.label('credit')} is required`);
      }
    } else {
      if (f.text('amount') === '') {
        if (currency !== null) f.fail('amount', 'is required');
      } else amount = money(f, 'amount', currency);
      if (amount !== null && mapping.sign === 'inverted') amount = amount === 0 ? 0 : -amount;
      if (mapping.sign === 'direction') {
        const dir = f.text('direction');
        const key = dir.toLowerCase();
        if (dir === '') {
          f.fail('direction', 'is required: it says whether the amount is money in or out');
          amount = null;
        } else if (inflow.has(key)) amount = amount === null ? null : Math.abs(amount);
        else if (outflow.has(key)) amount = amount === null ? null : amount === 0 ? 0 : -Math.abs(amount);
        else {
          f.fail(
            'direction',
            `must be ${[...mapping.direction!.inflow, ...mapping.direction!.outflow].map((v) => JSON.stringify(v)).join(', ')}, got ${quote(dir)}`,
          );
          amount = null;
        }
      }
    }

    const balanceAfter = money(f, 'balanceAfter', currency);
    const description = limited(f, 'description', f.text('description')) ?? '';
    const counterparty = limited(f, 'counterparty', f.text('counterparty'));
    const category = limited(f, 'category', f.text('category'));
    if (f.errors.length > 0) return { ok: false, reason: f.errors.join('; ') };
    if (accountRef === '' || bookingDate === null || amount === null || currency === null) {
      return { ok: false, reason: `${f.label('amount')}: is required` };
    }
    const transaction: Transaction = { accountRef, bookingDate, amount, currency, description };
    const key = transactionDedupKeys([transaction])[0]!;
    const row: TransactionImportRow = {
      accountRef,
      bookingDate,
      amount,
      currency,
      description,
      counterparty,
      category,
      categorySource: category === null ? null : 'import',
      categoryRuleId: null,
      balanceAfter,
      dedupIdentity: key.slice(0, key.lastIndexOf('|')),
      dedupKey: '',
      dedupHash: '',
    };
    return { ok: true, rows: [row] };
  };
}

const target: TargetTable<TransactionImportRow> = {
  table: 'transactions',
  columns: [
    { name: 'account_ref', type: 'text', nullable: false },
    { name: 'booking_date', type: 'date', nullable: false },
    { name: 'amount', type: 'bigint', nullable: false },
    { name: 'currency', type: 'text', nullable: false },
    { name: 'description', type: 'text', nullable: false },
    { name: 'counterparty', type: 'text', nullable: true },
    { name: 'category', type: 'text', nullable: true },
    { name: 'category_source', type: 'text', nullable: true },
    { name: 'category_rule_id', type: 'text', nullable: true },
    { name: 'balance_after', type: 'bigint', nullable: true },
    { name: 'dedup_hash', type: 'text', nullable: false },
  ],
  conflictKey: ['dedup_hash'],
  values: (r) => [
    r.accountRef,
    r.bookingDate,
    r.amount,
    r.currency,
    r.description,
    r.counterparty,
    r.category,
    r.categorySource,
    r.categoryRuleId,
    r.balanceAfter,
    r.dedupHash,
  ],
};

function bindTransactions(
  header: readonly string[],
  options: DatasetOptions,
): HeaderBinding<TransactionImportRow> {
  const mapping = resolveTransactionMapping(options.mapping);
  const match = bindColumns(header, mapping);
  if (!match.ok) return match;
  if (match.bound.accountRef === undefined && mapping.accountRef === undefined) {
    const columns =
      mapping.columns.accountRef?.parts.map((p) => `"${p.join('" or "')}"`).join(', ') ?? 'account';
    throw new DatasetHeaderError(
      'transactions',
      `the file has no ${columns} column: give the account in the mapping, e.g. {"preset": "${mapping.name}", "accountRef": "20-00-00 12345678"}`,
      mapping.columns.accountRef?.parts.map((p) => p[0]!) ?? [],
    );
  }
  if (match.bound.currency === undefined && mapping.currency === undefined) {
    throw new DatasetHeaderError(
      'transactions',
      'the file has no currency column: give the currency in the mapping, e.g. {"preset": "…", "currency": "GBP"}',
      ['currency'],
    );
  }
  assertNoDuplicateColumns('transactions', header, match.used);
  const used = new Set(match.used);
  return {
    ok: true,
    ignoredColumns: header.filter((h) => h !== '' && !used.has(h)),
    parseRow: parser(mapping, match.bound, header),
  };
}

const variant: DatasetVariant<TransactionImportRow> = {
  name: 'transactions',
  description: 'Bank transactions through a column mapping (preset or JSON)',
  requiredColumns: ['accountRef', 'bookingDate', 'amount', 'currency'],
  target,
  bindHeader: bindTransactions,
};

/**
 * The `transactions` dataset. Natural key: core's de-duplication identity; repeats of it in one
 * file are not duplicates but the next rank (two £2.40 coffees on one day are two transactions).
 */
export const transactionsDataset: DatasetSpec<TransactionImportRow> = {
  name: 'transactions',
  description: 'Bank transactions of one company, through a column mapping: one line per transaction.',
  requiredColumns: ['accountRef', 'bookingDate', 'amount', 'currency'],
  variants: [variant],
  naturalKey: (row) => row.dedupIdentity,
  repeats: {
    key: (identity, n) => dedupHash(`${identity}|${n}`),
    rank: (row, n, hash) => ({ ...row, dedupKey: `${row.dedupIdentity}|${n}`, dedupHash: hash }),
  },
};
