/**
 * Hot-path database access beside the ORM. MikroORM's `findOne` and `insert` cost ~0.6–1.2 ms of
 * CPU each here (query building, identity map, change sets) against ~0.1–0.3 ms for the same
 * statement sent straight through its knex/pg connection; the loan-simulation POST uses these two
 * helpers and stays on the ORM's metadata, types and connection pool.
 */
import type { EntityMetadata, EntityName, EntityProperty } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A JSON column's value already serialised (by a pricing thread): {@link insertRow} sends its
 * text as it is instead of converting the value by the column's type.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A row to insert: each value as the entity holds it, or a JSON column's {@link JsonText}. */
export type InsertValues<T> = { [K in keyof T]: T[K] | JsonText };

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Inserts one entity row with a single parameterised INSERT (autocommit, no unit of work), each
 * value converted by its property's type (json → text, arrays, bigints) exactly as the ORM would.
 *
 * `synchronousCommit: false` commits that statement's own transaction with PostgreSQL's
 * `synchronous_commit = off` (set by the statement itself, `set_config(…, true)` in RETURNING, so
 * still one round trip; the setting ends with the transaction): the INSERT is acknowledged once
 * it is in the WAL buffers, before the WAL is flushed to disk. A crash of the server or its
 * machine can then lose the last acknowledged rows (up to 3 × `wal_writer_delay`, 600 ms by
 * default) — never corrupt anything, and never lose a row that a later synchronous commit
 * already covered (the WAL is flushed in order).
 */
export async function insertRow<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  row: InsertValues<T>,
  options: { synchronousCommit?: boolean } = {},
): Promise<void> {
  const meta = em.getMetadata().get(entity);
  const platform = em.getPlatform();
  const statement = insertStatement(meta, options.synchronousCommit !== false);
  const values = statement.props.map((prop) => {
    const value = (row as Record<string, unknown>)[prop.name];
    return value === undefined || value === null
      ? null
      : value instanceof JsonText
        ? value.text
        : prop.customType
          ? prop.customType.convertToDatabaseValue(value, platform, { mode: 'query' })
          : value;
  });
  const connection = em.getConnection();
  // Errors become the ORM's exceptions (unique, foreign key …), which the error middleware maps.
  const converted = (error: unknown) => {
    throw error instanceof Error ? em.getDriver().convertException(error) : error;
  };
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) {
    await connection.execute(statement.knexText, values, 'run', transaction).catch(converted);
    return;
  }
  // Outside a transaction: straight to a pooled pg client, past knex's query builder and runner
  // (~0.1 ms of CPU a statement for placeholders, bindings and events this statement never needs),
  // coalesced with the same entity's concurrent inserts (see InsertBatcher).
  const client = connection.getKnex().client as KnexPgClient;
  await batcherFor(client, statement).insert(values).catch(converted);
}

/** The parts of knex's pg client used here: its pool of node-pg clients. */
interface KnexPgClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: unknown): Promise<void>;
}

interface PgConnection {
  query(text: string, values: unknown[]): Promise<unknown>;
}

interface InsertStatement {
  props: EntityProperty[];
  /** `insert into … (…) values `, and what follows the rows. */
  head: string;
  tail: string;
  /** With `$1 … $n` placeholders, for node-pg: `pgTexts[k]` inserts k rows (built as needed). */
  pgTexts: string[];
  /** With `?` placeholders, for knex (inside a transaction). */
  knexText: string;
}

const statements = new WeakMap<EntityMetadata, { sync?: InsertStatement; async?: InsertStatement }>();

/** An entity's INSERT of every persisted column, built once per entity and commit mode. */
function insertStatement(meta: EntityMetadata, synchronousCommit: boolean): InsertStatement {
  const known = statements.get(meta) ?? {};
  const mode = synchronousCommit ? 'sync' : 'async';
  const cached = known[mode];
  if (cached) return cached;
  const props = meta.props.filter((prop) => prop.fieldNames?.[0] && prop.persist !== false);
  const head = `insert into ${quote(meta.tableName)} (${props.map((p) => quote(p.fieldNames[0]!)).join(', ')}) values `;
  const tail = synchronousCommit ? '' : ` returning set_config('synchronous_commit', 'off', true)`;
  const statement = {
    props,
    head,
    tail,
    pgTexts: [],
    knexText: `${head}(${props.map(() => '?').join(', ')})${tail}`,
  };
  statements.set(meta, { ...known, [mode]: statement });
  return statement;
}

/** The statement's text for `rows` rows, `$n` placeholders row after row. */
function rowsText(statement: InsertStatement, rows: number): string {
  let text = statement.pgTexts[rows];
  if (text === undefined) {
    const n = statement.props.length;
    const tuples = Array.from(
      { length: rows },
      (_, r) => `(${statement.props.map((_p, i) => `$${r * n + i + 1}`).join(', ')})`,
    );
    text = `${statement.head}${tuples.join(', ')}${statement.tail}`;
    statement.pgTexts[rows] = text;
  }
  return text;
}

/**
 * Statements of one entity's inserts in flight at once; inserts beyond them wait and are coalesced.
 * One: every insert that arrives while a statement is out rides the next (group commit). A/B runs
 * of 1, 2 and 4 are in ADR 15.
 */
export const INSERT_CONCURRENCY = 1;
/**
 * Rows one coalesced INSERT carries at most: with one statement in flight, the most rows a round
 * trip can take (64 a round trip is still 3,200 inserts a second at a slow 20 ms commit).
 */
export const INSERT_MAX_ROWS = 64;

interface PendingInsert {
  values: unknown[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent single-row inserts of one statement into multi-row INSERTs. While fewer than
 * {@link INSERT_CONCURRENCY} statements are in flight an insert is sent at once, alone (no added
 * latency when the server is not busy); beyond that it waits, and the next statement sent carries
 * every waiting row (up to {@link INSERT_MAX_ROWS}). Under load that is one statement, one
 * transaction and one wake-up of a PostgreSQL backend for several requests instead of one each —
 * the rows still committed before any of their callers hears back.
 *
 * A multi-row statement that the server refuses (one row's foreign key, say) inserted nothing: its
 * rows are then sent again one by one, so each caller gets its own row's outcome. Any other
 * failure (a connection lost mid-statement, when the server may or may not have committed) is
 * every waiting caller's, as it would be for a lone INSERT.
 */
class InsertBatcher {
  private readonly queue: PendingInsert[] = [];
  private running = 0;

  constructor(
    private readonly client: KnexPgClient,
    private readonly statement: InsertStatement,
  ) {}

  insert(values: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ values, resolve, reject });
      if (this.running < INSERT_CONCURRENCY) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      while (this.queue.length > 0) await this.send(this.queue.splice(0, INSERT_MAX_ROWS));
    } finally {
      this.running--;
    }
  }

  private async send(batch: PendingInsert[]): Promise<void> {
    let connection: PgConnection;
    try {
      connection = await this.client.acquireConnection();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    try {
      if (batch.length > 1) {
        try {
          await connection.query(
            rowsText(this.statement, batch.length),
            batch.flatMap((p) => p.values),
          );
          for (const pending of batch) pending.resolve();
          return;
        } catch (error) {
          if (!refusedByServer(error)) {
            for (const pending of batch) pending.reject(error);
            return;
          }
        }
      }
      for (const pending of batch) {
        await connection
          .query(rowsText(this.statement, 1), pending.values)
          .then(pending.resolve, pending.reject);
      }
    } finally {
      await this.client.releaseConnection(connection);
    }
  }
}

/** A statement the server refused (SQLSTATE set): in autocommit, it changed nothing. */
const refusedByServer = (error: unknown): boolean =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'severity' in error;

const batchers = new WeakMap<KnexPgClient, Map<InsertStatement, InsertBatcher>>();

function batcherFor(client: KnexPgClient, statement: InsertStatement): InsertBatcher {
  let byStatement = batchers.get(client);
  if (!byStatement) batchers.set(client, (byStatement = new Map()));
  let batcher = byStatement.get(statement);
  if (!batcher) byStatement.set(statement, (batcher = new InsertBatcher(client, statement)));
  return batcher;
}

/**
 * The entity whose columns match `where` (equality on column names), mapped by the ORM into its
 * identity map, or null.
 */
export async function findRow<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: Record<string, string>,
): Promise<T | null> {
  const meta = em.getMetadata().get(entity);
  const conditions = Object.keys(where).map((column) => `${quote(column)} = ?`);
  const sql = `select * from ${quote(meta.tableName)} where ${conditions.join(' and ')} limit 1`;
  const result = (await em.getConnection().getKnex().raw(sql, Object.values(where))) as { rows: object[] };
  const row = result.rows[0];
  return row ? (em.map(entity, row) as T) : null;
}
