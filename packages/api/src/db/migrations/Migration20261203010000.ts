// A simulation's records and an idempotent reply as `json` instead of `jsonb`, lz4-compressed
// where the server has lz4 (ADR 14): written once, read whole, never queried inside — PostgreSQL
// then stores the text as sent instead of converting it to jsonb and compressing it with pglz,
// which halves its CPU time for the INSERT behind POST /v1/loan-simulations.
import { Migration } from '@mikro-orm/migrations';

const COLUMNS = {
  loan_simulations: [
    'project',
    'pricing',
    'schedule',
    'green_score',
    'co2_savings',
    'financed_emissions',
    'warnings',
    'cash_flow',
    'sustainability_linked',
  ],
  idempotency_records: ['response_headers', 'response_body'],
} as const;

/** `alter table … alter column "c" type <type> using "c"::<type>, …` for each table. */
function retype(type: 'json' | 'jsonb'): string[] {
  return Object.entries(COLUMNS).map(
    ([table, columns]) =>
      `alter table "${table}" ${columns.map((c) => `alter column "${c}" type ${type} using "${c}"::${type}`).join(', ')};`,
  );
}

/**
 * lz4 compression of the same columns, or nothing on a server built without lz4 (the embedded
 * PostgreSQL binaries are): PostgreSQL then keeps its default, pglz.
 */
function compression(method: 'lz4' | 'default'): string[] {
  return Object.entries(COLUMNS).map(
    ([table, columns]) => `do $$ begin
  alter table "${table}" ${columns.map((c) => `alter column "${c}" set compression ${method}`).join(', ')};
exception when feature_not_supported then null;
end $$;`,
  );
}

export class Migration20261203010000 extends Migration {
  override async up(): Promise<void> {
    for (const sql of [...retype('json'), ...compression('lz4')]) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const sql of [...compression('default'), ...retype('jsonb')]) this.addSql(sql);
  }
}
