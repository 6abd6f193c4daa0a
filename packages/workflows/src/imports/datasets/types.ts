/**
 * The vocabulary of dataset imports: what a dataset is, what reading one yields, and what a
 * rejected row looks like. Parsers turn CSV records into typed rows; the import writer turns rows
 * into table rows using each variant's {@link TargetTable}.
 */

/** The datasets `POST /v1/imports` accepts. */
export type DatasetName =
  'companies' | 'environmental-metrics' | 'eu-ets' | 'emission-factors' | 'fx-rates' | 'transactions';

/** Every dataset name, in documentation order. */
export const DATASET_NAMES: readonly DatasetName[] = [
  'companies',
  'environmental-metrics',
  'eu-ets',
  'emission-factors',
  'fx-rates',
  'transactions',
];

/** A data line that produced no row, and why. */
export interface RejectedRow {
  /** 1-based physical line in the file where the record starts (the header is line 1). */
  readonly line: number;
  /** Which field and why, e.g. `year: must be an integer between 1990 and 2100, got "20x4"`. */
  readonly reason: string;
  /** The record as read, keyed by header name (absent when the line could not be split into fields). */
  readonly raw?: Readonly<Record<string, string>>;
}

/** What parsing one record gives: zero or more rows (an ECB line holds one rate per currency), or a reason. */
export type RowResult<Row> =
  { readonly ok: true; readonly rows: readonly Row[] } | { readonly ok: false; readonly reason: string };

/** A record keyed by the spec's column names (matched case-insensitively, surrounding spaces ignored). */
export type CsvRecord = Readonly<Record<string, string>>;

/**
 * Parses one record of a file whose header has been accepted: its values in header order (as
 * many as the header has columns, or fewer only where the missing ones are unnamed). `line` is
 * where the record starts.
 */
export type RowParser<Row> = (values: readonly string[], line: number) => RowResult<Row>;

/**
 * A variant's fast path for its usual line, bound to one header: from a record's values (header
 * order) straight to the row's natural key and its target values as COPY text, with no row, parse
 * result or field reader built. It returns `false` for any line it does not accept as it stands —
 * then the variant's {@link RowParser} decides, and words the reason — so it accepts only what
 * the row parser accepts, with the same natural key and the same values (a property test holds
 * the two to each other).
 */
export type LineCompiler = (values: readonly string[], out: CompiledLine) => boolean;

/** What a {@link LineCompiler} writes for an accepted line (one object, reused line after line). */
export interface CompiledLine {
  /** The row's natural key, as the dataset's `naturalKey` gives it. */
  key: string;
  /** The target's values in `columns` order, COPY text, tab-separated (no line break). */
  copy: string;
}

/** Options that change how a dataset reads a file. */
export interface DatasetOptions {
  /** Force one variant (e.g. `eu-ets-compliance`) instead of detecting it from the header. */
  readonly variant?: string;
  /** emission-factors: the factor set's year, when the header does not say it (or to confirm it). */
  readonly year?: number;
  /**
   * transactions: the column mapping — a preset name (`greenfin`, `berka`, `uk-debit-credit`), a
   * mapping object, or its JSON text (transaction-mapping.ts). Default `greenfin`.
   */
  readonly mapping?: string | Readonly<Record<string, unknown>>;
}

/** A SQL column the writer creates or fills. */
export interface TargetColumn {
  readonly name: string;
  readonly type:
    'text' | 'text[]' | 'date' | 'smallint' | 'integer' | 'bigint' | 'double precision' | 'boolean';
  readonly nullable: boolean;
}

/** One value for a {@link TargetColumn}, as the writer hands it to COPY or a parameterised query. */
export type TargetValue = string | number | boolean | null | readonly string[];

/**
 * Where a variant's rows go: the table, its columns and the natural key an upsert conflicts on.
 * Tenant (`organization_id`) and company resolution (`company_id` from jurisdiction + number) are
 * the writer's: these columns are what the file itself provides.
 */
export interface TargetTable<Row> {
  readonly table: string;
  readonly columns: readonly TargetColumn[];
  /** Column names of the natural key (the upsert's `ON CONFLICT` target, before tenant columns). */
  readonly conflictKey: readonly string[];
  /** The row's values in `columns` order. */
  values(row: Row): readonly TargetValue[];
}

/** Result of checking a header against a variant. */
export type HeaderBinding<Row> =
  | {
      readonly ok: true;
      readonly parseRow: RowParser<Row>;
      /** The variant's fast path for this header, when it has one. */
      readonly compileLine?: LineCompiler;
      /** Header columns the variant does not read (kept in rejects' `raw`, otherwise ignored). */
      readonly ignoredColumns: readonly string[];
    }
  | { readonly ok: false; readonly missing: readonly string[] };

/** One file shape of a dataset (eu-ets has two: installations and compliance). */
export interface DatasetVariant<Row> {
  readonly name: string;
  readonly description: string;
  /** Header columns a file must have; `<year>` stands for a 4-digit year. */
  readonly requiredColumns: readonly string[];
  readonly target: TargetTable<Row>;
  /** Checks a header (trimmed names, in file order) and binds a row parser to it. */
  bindHeader(header: readonly string[], options: DatasetOptions): HeaderBinding<Row>;
}

/** A dataset: its variants and the natural key that de-duplicates its rows. */
export interface DatasetSpec<Row> {
  readonly name: DatasetName;
  readonly description: string;
  /** Required columns of the first (or only) variant, for messages and docs. */
  readonly requiredColumns: readonly string[];
  readonly variants: readonly DatasetVariant<Row>[];
  /**
   * Key for de-duplication within a file and for upserts across imports. An import holds one per
   * row until its step is written: the specs build it with `join`, which makes one flat string,
   * where a template literal makes a chain of string pieces for the garbage collector to copy.
   */
  naturalKey(row: Row): string;
  /**
   * When set, a line repeating an earlier line's natural key is not a duplicate but the next
   * occurrence: the n-th (n = 1, 2, … in file order) is keyed `key(naturalKey, n)` — a short,
   * fixed-length key (transactions: the de-dup hash), so any narrative fits the staging index —
   * and finished by `rank(row, n, key)`. Bank statements legitimately repeat identical lines.
   */
  readonly repeats?: {
    key(naturalKey: string, occurrence: number): string;
    rank(row: Row, occurrence: number, key: string): Row;
  };
}

/** Options of `readDataset`. */
export interface ReadDatasetOptions extends DatasetOptions {
  /**
   * Resume point: records starting before this physical line are read (the CSV must be parsed
   * from the top to find record boundaries, and to remember keys for duplicate detection) but not
   * yielded. Pass the previous batch's `lastLine + 1`. Default 1.
   */
  readonly fromLine?: number;
  /** A batch is yielded once it holds at least this many rows + rejects. Default 1000. */
  readonly batchSize?: number;
  /** Aborting stops reading at once; the generator throws the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One batch of a file, always ending at a record boundary. */
export interface DatasetBatch<Row> {
  /** The variant the header matched (`companies`, `eu-ets-installations`, …). */
  readonly variant: string;
  readonly rows: Row[];
  /** `rowLines[i]` is the line the record of `rows[i]` starts on. */
  readonly rowLines: number[];
  readonly rejects: RejectedRow[];
  /** Data lines (non-blank records) this batch consumed: accepted lines + `rejects.length`. */
  readonly dataLines: number;
  /** Last physical line this batch consumed; resume with `fromLine: lastLine + 1`. */
  readonly lastLine: number;
}
