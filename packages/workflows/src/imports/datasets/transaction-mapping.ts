/**
 * Column mappings of the `transactions` dataset: how a bank's CSV export becomes our transaction
 * fields. A mapping is a named preset (`greenfin`, `berka`, `uk-debit-credit`) or a JSON object
 * (optionally based on a preset) naming the columns, the date format, the decimal and thousands
 * separators and how the sign of an amount is given. Pure code: the API validates a mapping with
 * it before storing an upload, and the import binds it to the file's header.
 */
import { isCurrency, type CurrencyCode } from '@greenfin/core';
import { DatasetError, DatasetErrorCode } from './errors.js';

/** The transaction fields a mapping can read from columns. */
export type TransactionField =
  | 'accountRef'
  | 'bookingDate'
  | 'amount'
  | 'debit'
  | 'credit'
  | 'direction'
  | 'currency'
  | 'description'
  | 'counterparty'
  | 'category'
  | 'balanceAfter';

/** Every {@link TransactionField}, in documentation order. */
export const TRANSACTION_FIELDS: readonly TransactionField[] = [
  'accountRef',
  'bookingDate',
  'amount',
  'debit',
  'credit',
  'direction',
  'currency',
  'description',
  'counterparty',
  'category',
  'balanceAfter',
];

/** Date layouts a mapping may name. `YY` is 19YY for 50–99 and 20YY for 00–49. */
export const TRANSACTION_DATE_FORMATS = [
  'YYYY-MM-DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'YYMMDD',
] as const;
export type TransactionDateFormat = (typeof TRANSACTION_DATE_FORMATS)[number];

/**
 * How an amount's sign is given: `signed` (+ in, − out: the amount column as is), `inverted`
 * (positive = money out, as card statements do), `debit-credit` (two columns, one filled per
 * line), `direction` (a magnitude plus a column saying in or out, e.g. Berka's PRIJEM/VYDAJ).
 */
export type TransactionSign = 'signed' | 'inverted' | 'debit-credit' | 'direction';

/** The presets `mapping=<name>` selects. */
export const TRANSACTION_MAPPING_PRESETS = ['greenfin', 'berka', 'uk-debit-credit'] as const;
export type TransactionMappingPreset = (typeof TRANSACTION_MAPPING_PRESETS)[number];

/**
 * Where one field comes from: one or more parts joined with a space (e.g. Berka's bank + account
 * as the counterparty), each part the first of its alternative header names the file has.
 */
export interface FieldColumns {
  readonly parts: readonly (readonly string[])[];
  /** An optional field's columns may be absent from the header (presets only). */
  readonly optional: boolean;
  /** Cell values that mean "none" for this field (presets only; Berka's partner account `0`). */
  readonly blank?: readonly string[];
}

/** A mapping with every choice made, as bound to a file's header. */
export interface TransactionMapping {
  /** The preset it is (or is based on), or `custom`. */
  readonly name: TransactionMappingPreset | 'custom';
  readonly columns: Readonly<Partial<Record<TransactionField, FieldColumns>>>;
  readonly dateFormat: TransactionDateFormat;
  readonly decimalSeparator: '.' | ',';
  readonly thousandsSeparator: '' | ',' | '.' | ' ' | "'";
  readonly sign: TransactionSign;
  /** `direction` sign: the direction column's values (compared case-insensitively). */
  readonly direction?: { readonly inflow: readonly string[]; readonly outflow: readonly string[] };
  /** The currency of every line when the file has no currency column. */
  readonly currency?: CurrencyCode;
  /** The account of every line when the file has no account column (one-account exports). */
  readonly accountRef?: string;
}

/**
 * A mapping as a client writes it (JSON): `preset` as a base, then overrides. A column is a
 * header name, `{ "anyOf": [names] }`, or an array of those joined with a space.
 *
 * @example { "columns": { "bookingDate": "Date", "amount": "Amount", "description": ["Type", "Details"] },
 *            "dateFormat": "DD/MM/YYYY", "currency": "GBP", "accountRef": "20-00-00 12345678" }
 */
export interface TransactionMappingInput {
  preset?: TransactionMappingPreset;
  columns?: Partial<Record<TransactionField, ColumnInput | ColumnInput[]>>;
  dateFormat?: TransactionDateFormat;
  decimalSeparator?: '.' | ',';
  thousandsSeparator?: '' | ',' | '.' | ' ' | "'";
  sign?:
    'signed' | 'inverted' | 'debit-credit' | { column: ColumnInput; inflow: string[]; outflow: string[] };
  currency?: string;
  accountRef?: string;
}
type ColumnInput = string | { anyOf: string[] };

/** What the `mapping` option of the dataset holds: a preset name or a mapping object. */
export type TransactionMappingOption = TransactionMappingPreset | TransactionMappingInput;

/** A mapping that cannot be used; `field` is the mapping's path at fault (`mapping.dateFormat`). */
export class TransactionMappingError extends DatasetError {
  // name stays `DatasetError`: the retry profiles never retry it, and operations show it as such.
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(DatasetErrorCode.InvalidOption, `${field}: ${reason}`);
  }
}

const one = (...names: string[]): FieldColumns => ({ parts: [names], optional: false });
const optional = (...parts: (readonly string[])[]): FieldColumns => ({ parts, optional: true });

/** The presets, with every choice made. */
export const TRANSACTION_PRESETS: Readonly<Record<TransactionMappingPreset, TransactionMapping>> = {
  // Our template (docs/imports.md): ISO dates, signed amounts with a point, one currency column.
  greenfin: {
    name: 'greenfin',
    columns: {
      accountRef: one('accountRef'),
      bookingDate: one('bookingDate'),
      amount: one('amount'),
      currency: one('currency'),
      description: optional(['description']),
      counterparty: optional(['counterparty']),
      category: optional(['category']),
      balanceAfter: optional(['balanceAfter']),
    },
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: '.',
    thousandsSeparator: '',
    sign: 'signed',
  },
  // PKDD'99 Berka trans.csv: YYMMDD dates, CZK magnitudes whose sign is `type` (PRIJEM credit;
  // VYDAJ debit, VYBER cash withdrawal), operation + k_symbol as the narrative, partner bank +
  // account as the counterparty, balance after the transaction.
  berka: {
    name: 'berka',
    columns: {
      accountRef: one('account_id'),
      bookingDate: one('date'),
      amount: one('amount'),
      direction: one('type'),
      description: optional(['operation'], ['k_symbol']),
      // Partner account 0 (761 lines of the file, never with a bank) means no partner account.
      counterparty: { ...optional(['bank'], ['account']), blank: ['0'] },
      balanceAfter: optional(['balance']),
    },
    dateFormat: 'YYMMDD',
    decimalSeparator: '.',
    thousandsSeparator: '',
    sign: 'direction',
    direction: { inflow: ['PRIJEM'], outflow: ['VYDAJ', 'VYBER'] },
    currency: 'CZK',
  },
  // UK bank CSV exports with separate money-out / money-in columns and DD/MM/YYYY dates
  // (Lloyds, Halifax and Bank of Scotland: "Transaction Date, Transaction Type, Sort Code,
  // Account Number, Transaction Description, Debit Amount, Credit Amount, Balance"; Nationwide:
  // "Date, Transaction type, Description, Paid out, Paid in, Balance" with £ signs). Files without
  // sort code and account number columns need `accountRef` in the mapping.
  'uk-debit-credit': {
    name: 'uk-debit-credit',
    columns: {
      accountRef: optional(['Sort Code'], ['Account Number']),
      bookingDate: one('Transaction Date', 'Date'),
      debit: one('Debit Amount', 'Paid out', 'Money out', 'Debit'),
      credit: one('Credit Amount', 'Paid in', 'Money in', 'Credit'),
      description: optional(['Transaction Description', 'Description', 'Details', 'Memo', 'Narrative']),
      balanceAfter: optional(['Balance']),
    },
    dateFormat: 'DD/MM/YYYY',
    decimalSeparator: '.',
    thousandsSeparator: ',',
    sign: 'debit-credit',
    currency: 'GBP',
  },
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function columnName(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw new TransactionMappingError(
      path,
      `must be a header name (1–200 characters), got ${describe(value)}`,
    );
  }
  return value.trim();
}

function columnPart(value: unknown, path: string): string[] {
  if (isRecord(value)) {
    const { anyOf, ...rest } = value;
    if (Object.keys(rest).length > 0 || !Array.isArray(anyOf) || anyOf.length === 0) {
      throw new TransactionMappingError(
        path,
        `must be a header name or {"anyOf": [names]}, got ${describe(value)}`,
      );
    }
    return anyOf.map((n, i) => columnName(n, `${path}.anyOf[${i}]`));
  }
  return [columnName(value, path)];
}

function fieldColumns(value: unknown, path: string): FieldColumns {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.length > 5) {
      throw new TransactionMappingError(path, 'must list 1 to 5 columns to join');
    }
    return { parts: value.map((v, i) => columnPart(v, `${path}[${i}]`)), optional: false };
  }
  return { parts: [columnPart(value, path)], optional: false };
}

function stringList(value: unknown, path: string): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((v) => typeof v !== 'string' || v.trim() === '')
  ) {
    throw new TransactionMappingError(path, `must be a non-empty array of values, got ${describe(value)}`);
  }
  return value.map((v: string) => v.trim());
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TransactionMappingError(
      path,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

const MAPPING_KEYS = [
  'preset',
  'columns',
  'dateFormat',
  'decimalSeparator',
  'thousandsSeparator',
  'sign',
  'currency',
  'accountRef',
];

/**
 * Resolves a mapping option (a preset name, a mapping object, or the JSON text of one; absent =
 * `greenfin`) into a complete {@link TransactionMapping}, checking every part.
 *
 * @throws {TransactionMappingError} naming the part of the mapping at fault (`mapping.sign.inflow`).
 * @example resolveTransactionMapping('berka').dateFormat // 'YYMMDD'
 * @example resolveTransactionMapping('{"preset":"uk-debit-credit","accountRef":"30-93-74 01234567"}')
 */
export function resolveTransactionMapping(option: unknown, path = 'mapping'): TransactionMapping {
  if (option === undefined || option === null || option === '') return TRANSACTION_PRESETS.greenfin;
  let value: unknown = option;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{')) {
      return TRANSACTION_PRESETS[oneOf(text, TRANSACTION_MAPPING_PRESETS, path)];
    }
    try {
      value = JSON.parse(text) as unknown;
    } catch (error) {
      throw new TransactionMappingError(path, `is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isRecord(value)) {
    throw new TransactionMappingError(
      path,
      `must be a preset name or a mapping object, got ${describe(value)}`,
    );
  }
  const unknownKey = Object.keys(value).find((k) => !MAPPING_KEYS.includes(k));
  if (unknownKey !== undefined) {
    throw new TransactionMappingError(
      `${path}.${unknownKey}`,
      `is not a mapping setting; expected ${MAPPING_KEYS.join(', ')}`,
    );
  }
  const base =
    value.preset === undefined
      ? null
      : TRANSACTION_PRESETS[oneOf(value.preset, TRANSACTION_MAPPING_PRESETS, `${path}.preset`)];
  const columns: Partial<Record<TransactionField, FieldColumns>> = { ...base?.columns };
  if (value.columns !== undefined) {
    if (!isRecord(value.columns)) {
      throw new TransactionMappingError(`${path}.columns`, 'must be an object of field → column name');
    }
    for (const [field, column] of Object.entries(value.columns)) {
      const name = oneOf(field, TRANSACTION_FIELDS, `${path}.columns.${field}`);
      columns[name] = fieldColumns(column, `${path}.columns.${field}`);
    }
  }
  let sign: TransactionSign = base?.sign ?? 'signed';
  let direction = base?.direction;
  if (value.sign !== undefined) {
    if (isRecord(value.sign)) {
      const { column, inflow, outflow, ...rest } = value.sign;
      const extra = Object.keys(rest)[0];
      if (extra !== undefined) {
        throw new TransactionMappingError(`${path}.sign.${extra}`, 'expected column, inflow and outflow');
      }
      sign = 'direction';
      columns.direction = { parts: [columnPart(column, `${path}.sign.column`)], optional: false };
      direction = {
        inflow: stringList(inflow, `${path}.sign.inflow`),
        outflow: stringList(outflow, `${path}.sign.outflow`),
      };
      const both = direction.inflow.find((v) =>
        direction!.outflow.some((o) => o.toLowerCase() === v.toLowerCase()),
      );
      if (both !== undefined) {
        throw new TransactionMappingError(
          `${path}.sign.outflow`,
          `${JSON.stringify(both)} is listed as both inflow and outflow`,
        );
      }
    } else {
      sign = oneOf(value.sign, ['signed', 'inverted', 'debit-credit'] as const, `${path}.sign`);
    }
  }
  const dateFormat =
    value.dateFormat === undefined
      ? (base?.dateFormat ?? 'YYYY-MM-DD')
      : oneOf(value.dateFormat, TRANSACTION_DATE_FORMATS, `${path}.dateFormat`);
  const decimalSeparator =
    value.decimalSeparator === undefined
      ? (base?.decimalSeparator ?? '.')
      : oneOf(value.decimalSeparator, ['.', ','] as const, `${path}.decimalSeparator`);
  const thousandsSeparator =
    value.thousandsSeparator === undefined
      ? (base?.thousandsSeparator ?? '')
      : oneOf(value.thousandsSeparator, ['', ',', '.', ' ', "'"] as const, `${path}.thousandsSeparator`);
  if (thousandsSeparator === decimalSeparator) {
    throw new TransactionMappingError(
      `${path}.thousandsSeparator`,
      `must differ from the decimal separator ${JSON.stringify(decimalSeparator)}`,
    );
  }
  let currency = base?.currency;
  if (value.currency !== undefined) {
    const code = typeof value.currency === 'string' ? value.currency.trim().toUpperCase() : '';
    if (!isCurrency(code)) {
      throw new TransactionMappingError(
        `${path}.currency`,
        `must be an ISO 4217 currency code such as GBP, got ${describe(value.currency)}`,
      );
    }
    currency = code;
  }
  let accountRef = base?.accountRef;
  if (value.accountRef !== undefined) {
    if (
      typeof value.accountRef !== 'string' ||
      value.accountRef.trim() === '' ||
      value.accountRef.length > 200
    ) {
      throw new TransactionMappingError(
        `${path}.accountRef`,
        `must be the account's reference (1–200 characters), got ${describe(value.accountRef)}`,
      );
    }
    accountRef = value.accountRef.trim();
  }
  const mapping: TransactionMapping = {
    name: base?.name ?? 'custom',
    columns,
    dateFormat,
    decimalSeparator,
    thousandsSeparator,
    sign,
    ...(direction !== undefined && { direction }),
    ...(currency !== undefined && { currency }),
    ...(accountRef !== undefined && { accountRef }),
  };
  checkComplete(mapping, path);
  return mapping;
}

/** The fields every mapping must be able to fill, for its sign convention. */
function checkComplete(m: TransactionMapping, path: string): void {
  const need = (field: TransactionField, why: string) => {
    if (m.columns[field] === undefined) throw new TransactionMappingError(`${path}.columns.${field}`, why);
  };
  need('bookingDate', 'is required: the column holding the booking date');
  if (m.sign === 'debit-credit') {
    need('debit', 'is required with sign "debit-credit": the money-out column');
    need('credit', 'is required with sign "debit-credit": the money-in column');
  } else {
    need('amount', 'is required: the column holding the amount');
  }
  if (m.sign === 'direction') {
    need('direction', 'is required with a direction sign: the column saying in or out');
    if (m.direction === undefined) {
      throw new TransactionMappingError(
        `${path}.sign`,
        'a direction sign needs its inflow and outflow values',
      );
    }
  }
  if (m.columns.currency === undefined && m.currency === undefined) {
    throw new TransactionMappingError(
      `${path}.currency`,
      'is required when the file has no currency column (columns.currency)',
    );
  }
  if (m.columns.accountRef === undefined && m.accountRef === undefined) {
    throw new TransactionMappingError(
      `${path}.accountRef`,
      'is required when the file has no account column (columns.accountRef)',
    );
  }
}
