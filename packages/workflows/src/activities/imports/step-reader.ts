/**
 * Reading an import batch's lines one step ahead of the step's transaction: each record is
 * parsed and validated, a line repeating an earlier line's natural key is rejected (the first
 * line wins, across the whole file), and what the step writes is encoded as COPY text at once.
 *
 * A step holds about ten thousand lines while PostgreSQL writes the previous step's, long enough
 * to outlive a young garbage collection; so it holds no object per line, only COPY text joined a
 * group of lines at a time. (Ranked datasets, transactions, keep their rows: a row's key depends
 * on the rows staged before it, known only inside the step's transaction.)
 *
 * Earlier lines are known from `firstLineOfKey` (the keys this process has read, seeded from the
 * last run of the same import when it wrote every line before the batch) and, when that map does
 * not know every earlier line, from PostgreSQL (`lookup`: committed lines before the batch).
 * A key counts as earlier only when its line is before the current one, so the map may also hold
 * keys of later lines read by a failed attempt.
 */
import type { CsvLine } from '../../imports/datasets/csv-records.js';
import { shapeProblem, type RecordChunks } from '../../imports/datasets/read-dataset.js';
import type { CompiledLine, LineCompiler, RowParser, RowResult } from '../../imports/datasets/types.js';
import { copyText, csvLine } from '../../imports/datasets/copy-text.js';
import type { KeyLines } from './key-lines.js';

/** Lines parsed between two yields to the event loop (and looked up in one query). */
const GROUP = 512;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The parse result of a line its variant's fast path accepted (its key and COPY text are kept apart). */
const COMPILED: RowResult<never> = { ok: true, rows: [] };

/** The lines of a ranked dataset that a step must key by occurrence before they are encoded. */
export interface RankedLines<Row> {
  /** Per accepted line: its physical line, its raw text (or null), the end of its rows. */
  readonly lines: number[];
  readonly raws: (string | null)[];
  readonly rowEnds: number[];
  /** Per row: the row and its natural key (replaced by the ranked key in the step). */
  rows: Row[];
  readonly keys: string[];
}

/** What one step writes. */
export interface StepLines<Row> {
  /** COPY text of the accepted rows, a group of lines per string. */
  readonly copy: string[];
  /** COPY text of the rejected lines (`import_rejects`). */
  readonly rejects: string[];
  /** Ranked datasets only: the accepted lines, to be keyed and encoded in the step. */
  readonly ranked: RankedLines<Row> | null;
  /** Accepted lines. */
  accepted: number;
  /** Non-blank records read. */
  dataLines: number;
  /** Rows + parse rejects: what a step's budget counts. */
  items: number;
  /** Last physical line read, and the offset just after it (null when not known). */
  endLine: number;
  endByte: number | null;
  /** The file ended with this step. */
  last: boolean;
}

export interface StepReaderOptions<Row> {
  readonly records: RecordChunks;
  readonly header: readonly string[];
  readonly parseRow: RowParser<Row>;
  readonly naturalKey: (row: Row) => string;
  /** The natural key's columns, named in a duplicate's reason. */
  readonly keyColumns: readonly string[];
  /** COPY text of the operation id (the rejects' first column). */
  readonly operation: string;
  /**
   * COPY text of an accepted row (`seq`: its index among its line's rows; `raw`: the line's CSV
   * text when kept); `null` for a ranked dataset, whose rows the step encodes.
   */
  readonly encodeRow:
    ((line: number, seq: number, key: string, row: Row, raw: string | null) => string) | null;
  /** Keep each accepted line's CSV text (environmental-metrics stages it for its reject messages). */
  readonly keepRaw: boolean;
  /** Natural key → the first line that has it, as far as this process knows; updated as lines are read. */
  readonly firstLineOfKey: KeyLines;
  /** Earlier lines of `rows`' keys that `firstLineOfKey` may not know; null when it knows them all. */
  readonly lookup: ((rows: Row[]) => Promise<ReadonlyMap<string, number>>) | null;
  /** Transforms the accepted rows of a ranked dataset once a step is read (category rules). */
  readonly finish?: (rows: Row[]) => Row[];
  /**
   * The variant's fast path (see {@link LineCompiler}) and how an accepted line's COPY text is laid
   * out around its values (pushed onto a group's pieces). Used only while every earlier line's key
   * is known here (no `lookup`, which needs rows), and never for a ranked dataset or one that keeps
   * each line's raw text (a compiled line has neither); other lines go through `parseRow`.
   */
  readonly compiled?: {
    readonly line: LineCompiler;
    push(pieces: string[], line: number, copy: string): void;
  } | null;
}

/** Reads a batch's records a step at a time. */
export class StepReader<Row> {
  private queue: readonly CsvLine[] = [];
  private queued = 0;
  private exhausted = false;

  constructor(private readonly options: StepReaderOptions<Row>) {}

  /** Whether a record is queued, reading the next chunk of the file when needed. */
  private async more(): Promise<boolean> {
    while (this.queued >= this.queue.length) {
      if (this.exhausted) return false;
      const next = await this.options.records.next();
      if (next.done) {
        this.exhausted = true;
        return false;
      }
      this.queue = next.value;
      this.queued = 0;
    }
    return true;
  }

  /**
   * Reads records until `budget` rows + rejects, starting at physical line `fromLine` (offset
   * `fromByte`), then peeks one record to see whether the file ends there.
   */
  async read(budget: number, fromLine: number, fromByte: number | null): Promise<StepLines<Row>> {
    const o = this.options;
    const step: StepLines<Row> = {
      copy: [],
      rejects: [],
      ranked: o.encodeRow === null ? { lines: [], raws: [], rowEnds: [], rows: [], keys: [] } : null,
      accepted: 0,
      dataLines: 0,
      items: 0,
      endLine: fromLine - 1,
      endByte: fromByte,
      last: false,
    };
    const records: CsvLine[] = [];
    const results: RowResult<Row>[] = [];
    const compiled = o.lookup === null && step.ranked === null && !o.keepRaw ? (o.compiled ?? null) : null;
    const out: CompiledLine = { key: '', copy: '' };
    const compiledLines: string[] = []; // key, COPY text, key, … of the group's COMPILED lines
    while (step.items < budget && (await this.more())) {
      records.length = 0;
      results.length = 0;
      compiledLines.length = 0;
      while (records.length < GROUP && step.items < budget) {
        if (this.queued >= this.queue.length && !(await this.more())) break;
        const record = this.queue[this.queued++]!;
        const problem = shapeProblem(o.header, record.values);
        let result: RowResult<Row>;
        if (problem !== null) result = { ok: false, reason: problem };
        else if (compiled !== null && compiled.line(record.values, out)) {
          result = COMPILED;
          compiledLines.push(out.key, out.copy);
        } else result = o.parseRow(record.values, record.line);
        records.push(record);
        results.push(result);
        step.items += result === COMPILED ? 1 : result.ok ? result.rows.length : 1;
        step.endLine = record.endLine;
        step.endByte = record.endByte;
      }
      step.dataLines += records.length;
      const earlier =
        o.lookup === null || step.ranked !== null
          ? null
          : await o.lookup(results.flatMap((r) => (r.ok ? r.rows : [])));
      this.decide(step, records, results, earlier, compiledLines);
      await yieldToEventLoop(); // let this step's PostgreSQL round trips (and COPY drains) in
    }
    if (step.ranked && o.finish) step.ranked.rows = o.finish(step.ranked.rows);
    step.last = !(await this.more());
    return step;
  }

  /** Accepts or rejects a group of parsed records, in file order. */
  private decide(
    step: StepLines<Row>,
    records: readonly CsvLine[],
    results: readonly RowResult<Row>[],
    earlier: ReadonlyMap<string, number> | null,
    compiledLines: readonly string[],
  ): void {
    const o = this.options;
    const map = o.firstLineOfKey;
    const copy: string[] = [];
    let c = 0;
    for (let i = 0; i < records.length; i++) {
      const { line, values } = records[i]!;
      const result = results[i]!;
      if (result === COMPILED) {
        // No lookup (see `compiled`): the keys here are every earlier line's.
        const key = compiledLines[c++]!;
        const text = compiledLines[c++]!;
        const first = map.claim(key, line);
        if (first >= 0) this.rejectDuplicate(step, line, values, first, key);
        else {
          o.compiled!.push(copy, line, text);
          step.accepted++;
        }
        continue;
      }
      if (!result.ok) {
        this.reject(step, line, values, result.reason, false);
        continue;
      }
      const keys = result.rows.map(o.naturalKey);
      const raw = o.keepRaw ? copyText(csvLine(values)) : null;
      if (step.ranked !== null) {
        // Repeats of a ranked dataset's key are its next occurrences, not duplicates.
        const ranked = step.ranked;
        ranked.lines.push(line);
        ranked.raws.push(raw);
        for (let r = 0; r < keys.length; r++) {
          ranked.rows.push(result.rows[r]!);
          ranked.keys.push(keys[r]!);
        }
        ranked.rowEnds.push(ranked.rows.length);
        step.accepted++;
        continue;
      }
      let first = -1;
      let duplicate = '';
      if (keys.length === 1) {
        // One row (most datasets): one probe checks the key and claims it.
        const key = keys[0]!;
        first = earlier?.get(key) ?? map.claim(key, line);
        duplicate = key;
      } else {
        for (const key of keys) {
          const seen = earlier?.get(key) ?? map.get(key);
          if (seen !== undefined && seen < line) {
            first = seen;
            duplicate = key;
            break;
          }
        }
        if (first < 0) for (const key of keys) map.set(key, line);
      }
      if (first >= 0) {
        this.rejectDuplicate(step, line, values, first, duplicate);
        continue;
      }
      for (let r = 0; r < keys.length; r++) copy.push(o.encodeRow!(line, r, keys[r]!, result.rows[r]!, raw));
      step.accepted++;
    }
    if (copy.length > 0) step.copy.push(copy.join(''));
  }

  private rejectDuplicate(
    step: StepLines<Row>,
    line: number,
    values: readonly string[],
    first: number,
    key: string,
  ): void {
    const reason = `duplicate: line ${first} already has ${key} (${this.options.keyColumns.join(', ')}); the first line wins`;
    this.reject(step, line, values, reason, true);
  }

  private reject(
    step: StepLines<Row>,
    line: number,
    values: readonly string[],
    reason: string,
    duplicate: boolean,
  ): void {
    const o = this.options;
    const fields = reasonFields(reason, o.header) ?? (duplicate ? o.keyColumns.join(';') : null);
    step.rejects.push(
      `${o.operation}\t${line}\t${copyText(fields)}\t${copyText(reason)}\t${copyText(csvLine(values))}\n`,
    );
  }
}

/** The header columns a reason names (`year: must be …; revenue_amount: …` → `year;revenue_amount`). */
export function reasonFields(reason: string, header: readonly string[]): string | null {
  const fields: string[] = [];
  for (const part of reason.split('; ')) {
    const colon = part.indexOf(': ');
    if (colon <= 0) continue;
    const name = part.slice(0, colon);
    if (header.includes(name) && !fields.includes(name)) fields.push(name);
  }
  return fields.length > 0 ? fields.join(';') : null;
}
