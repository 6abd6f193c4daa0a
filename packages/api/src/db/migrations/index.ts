import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import { WORKFLOW_MIGRATIONS, type SqlMigration } from '@greenfin/workflows';
import { Migration20261122043311 } from './Migration20261122043311.js';
import { Migration20261122050318 } from './Migration20261122050318.js';
import { Migration20261201090000 } from './Migration20261201090000.js';
import { Migration20261202120000 } from './Migration20261202120000.js';
import { Migration20261203010000 } from './Migration20261203010000.js';

/**
 * Wraps one of `@greenfin/workflows`' plain-SQL migrations (the tables the job engine and the
 * activities own: operations, reports, imports, webhooks) as a MikroORM migration, so one migrator
 * — and one `/readyz` check — covers the whole schema.
 */
function fromSql(migration: SqlMigration): MigrationObject {
  class WorkflowMigration extends Migration {
    override up(): void {
      for (const statement of migration.up) this.addSql(statement);
    }
    override down(): void {
      for (const statement of migration.down) this.addSql(statement);
    }
  }
  Object.defineProperty(WorkflowMigration, 'name', { value: migration.name });
  return { name: migration.name, class: WorkflowMigration };
}

/**
 * Committed migrations, in order: the API's own (entity tables; `npm run migration:create -w
 * @greenfin/api` writes the next one from the entity diff — append it to `apiMigrations`), then
 * every workflows migration. Workflow tables never reference API tables by foreign key, so the
 * two lists can grow independently.
 */
const apiMigrations: MigrationObject[] = [
  { name: 'Migration20261122043311', class: Migration20261122043311 },
  { name: 'Migration20261122050318', class: Migration20261122050318 },
  { name: 'Migration20261201090000', class: Migration20261201090000 },
  { name: 'Migration20261202120000', class: Migration20261202120000 },
  { name: 'Migration20261203010000', class: Migration20261203010000 },
];

export const migrationsList: MigrationObject[] = [...apiMigrations, ...WORKFLOW_MIGRATIONS.map(fromSql)];
