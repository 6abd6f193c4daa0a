import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** MikroORM options for a PostgreSQL URL. The schema comes only from committed migrations. */
export function ormOptions(clientUrl: string, logger?: Logger, poolSize = 10): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    discovery: { disableDynamicFileAccess: true },
    forceUtcTimezone: true,
    pool: { min: 0, max: poolSize },
    debug: false,
    ...(logger ? { logger: (message: string) => logger.debug({ orm: true }, message) } : {}),
  });
}

/** Connects, without touching the schema. */
export function connectOrm(clientUrl: string, logger?: Logger, poolSize?: number): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, logger, poolSize));
}

/** Applies pending migrations; returns their names. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** Names of migrations not yet applied (readiness fails while any remain). */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}
