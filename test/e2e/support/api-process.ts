/**
 * The API as an operator runs it: `packages/api/src/main.ts` in its own Node process, started as
 * the image starts it (`node --import tsx src/main.ts`), configured only through environment variables, on a throwaway PostgreSQL
 * database and a unique Redis key prefix. `stop()` sends SIGTERM (the graceful shutdown path),
 * then drops the database and deletes every Redis key under the prefix.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';

const apiDir = fileURLToPath(new URL('../../../packages/api/', import.meta.url));

/** The PostgreSQL server: `DATABASE_URL` if the runner sets one, else the local trust server. */
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ApiProcess {
  /** `http://127.0.0.1:<ephemeral port>` */
  baseUrl: string;
  /** The database the process runs on (dropped by `stop`). */
  databaseName: string;
  /** Every Redis key the process writes starts with this (deleted by `stop`). */
  redisKeyPrefix: string;
  /** What the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Redis keys currently under the prefix. */
  redisKeys(): Promise<string[]>;
  /** SIGTERM, then drop the database and the Redis keys; resolves with how the process ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the API with `env` on top of the settings every run needs (database, Redis, ephemeral
 * port, cheap argon2) and resolves once it listens. Rejects, with its output, if it exits first
 * or does not listen within `startTimeoutMs`.
 */
export async function startApiProcess(
  env: Record<string, string>,
  startTimeoutMs = 45_000,
): Promise<ApiProcess> {
  const tag = randomBytes(6).toString('hex');
  const databaseName = `greenfin_e2e_${tag}`;
  const redisKeyPrefix = `greenfin-e2e-${tag}:`;
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  await onServer(`create database ${databaseName}`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const redisKeys = async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${redisKeyPrefix}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  };
  const cleanUp = async () => {
    const keys = await redisKeys();
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await onServer(`drop database if exists ${databaseName} with (force)`);
  };

  let output = '';
  let child: ChildProcess;
  try {
    // As the image runs it (Dockerfile): one Node process, so SIGTERM reaches main.ts's shutdown.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: apiDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: url.toString(),
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: redisKeyPrefix,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        // argon2id stays argon2id, just cheap: the machine running tests has few cores.
        ARGON2_MEMORY_KIB: '1024',
        ARGON2_TIME_COST: '1',
        JWT_SECRET: randomBytes(32).toString('base64'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (code, signal) => resolve([code, signal]));
    child.once('error', (error) => {
      output += `\n${String(error)}`;
      resolve([null, null]);
    });
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await cleanUp();
    const [code, signal] = await exited;
    return { code, signal };
  };

  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the API did not start within ${startTimeoutMs} ms:\n${output}`)),
        startTimeoutMs,
      );
      const onData = () => {
        // main.ts prints its banner once the server listens: "Greenfin API     http://host:port".
        const match = /Greenfin API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      void exited.then(([code, signal]) => {
        clearTimeout(timer);
        reject(new Error(`the API exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    return { baseUrl, databaseName, redisKeyPrefix, output: () => output, redisKeys, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
