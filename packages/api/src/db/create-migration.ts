/**
 * Writes a migration for the difference between the entities and the schema the committed
 * migrations build: creates a scratch database, applies the migrations, diffs, drops it.
 * Usage: `npm run migration:create -w @greenfin/api [-- --initial]`.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `greenfin_migration_${randomUUID().slice(0, 8)}`;
const admin = await MikroORM.init({
  ...ormOptions(adminUrl),
  entities: [],
  discovery: { warnWhenNoEntities: false },
});
await admin.em.getConnection().execute(`create database ${scratch}`);
const url = new URL(adminUrl);
url.pathname = `/${scratch}`;
const options = ormOptions(url.toString());
const orm = await MikroORM.init({
  ...options,
  migrations: {
    ...options.migrations,
    path: fileURLToPath(new URL('./migrations', import.meta.url)),
    emit: 'ts',
  },
});
await orm.getMigrator().up();
const result = await orm.getMigrator().createMigration(undefined, false, process.argv.includes('--initial'));
console.log(result.fileName ? `wrote ${result.fileName}` : 'schema is up to date');
await orm.close();
await admin.em.getConnection().execute(`drop database ${scratch}`);
await admin.close();
