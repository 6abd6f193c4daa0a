/**
 * Where a simulation is priced: in the request's thread, or on a pool of worker threads.
 *
 * The API serves every request on one event loop. Pricing a simulation (`priceSimulation`: core's
 * schedule and two APRs, financed emissions, the stored records' and the reply's JSON text) is
 * about a third of a simulation POST's CPU, and all of it is plain computation on plain data —
 * so with spare cores it runs on a pricing thread while the event loop goes on parsing,
 * authenticating and answering other requests (ADR 19). Only plain data crosses: the job (the
 * resolved terms, the score's headline, the company's latest emissions and value) and the result
 * (numbers and JSON texts). A core error crosses as its code, path and message and is thrown again
 * here as the same `GreenfinError`, so the client sees the same 422.
 *
 * A thread that dies (a crash, `process.exit` in a dependency) fails the jobs it held with an
 * ordinary error (a 500: nothing was written, the INSERT comes after pricing) and is replaced at
 * the next job. Threads are `unref`'d: they never keep the process alive.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, GreenfinError } from '@greenfin/core';
import { projectionsChecked } from '../../http/projection.js';
import { type PricedSimulation, type PricingJob, priceSimulation } from './simulation-pricing.js';

/** The pricing threads' module (TypeScript under tsx and in tests, JavaScript once built). */
const ENTRY = new URL(`./pricing-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** packages/api/tsconfig.json. */
const API_TSCONFIG = new URL('../../../tsconfig.json', import.meta.url);

/** Prices simulations (see the module's comment). */
export interface SimulationPricer {
  price(job: PricingJob): Promise<PricedSimulation>;
  /** Stops the threads; jobs still out fail. */
  close(): Promise<void>;
}

/** A message to a pricing thread. */
export interface PricingRequest {
  id: number;
  job: PricingJob;
}

/** A pricing thread's answer. */
export type PricingReply =
  | { id: number; ok: true; value: PricedSimulation }
  | {
      id: number;
      ok: false;
      error:
        | { kind: 'greenfin'; code: ErrorCode; path: string; detail: string }
        | { kind: 'error'; message: string };
    };

/** Options of {@link createPricer}. */
export interface PricerOptions {
  /** The threads' module; pricing-thread.ts by default (a test gives one that can die or hang). */
  entry?: URL;
  /** A job not answered within this is failed and its thread stopped (default 30 s). */
  timeoutMs?: number;
  /** Told when a thread is lost (died, hung, or could not start) — for the log. */
  onThreadError?: (error: Error) => void;
}

/**
 * `threads` pricing threads, or the request's own thread for 0.
 *
 * @example const pricer = createPricer(config.pricingThreads); const priced = await pricer.price(job);
 */
export function createPricer(threads: number, options: PricerOptions = {}): SimulationPricer {
  if (!Number.isInteger(threads) || threads < 0) {
    throw new RangeError(`pricing threads must be a whole number ≥ 0, got ${threads}`);
  }
  return threads === 0 ? inlinePricer : new ThreadPricer(threads, options);
}

/**
 * A pricing thread's answer to one request: the priced simulation, or the error that stopped it
 * (core's as code, path and message; any other as its stack).
 */
export function answer({ id, job }: PricingRequest): PricingReply {
  try {
    return { id, ok: true, value: priceSimulation(job) };
  } catch (error: unknown) {
    if (error instanceof GreenfinError) {
      const detail = error.path ? error.message.slice(error.path.length + 2) : error.message;
      return { id, ok: false, error: { kind: 'greenfin', code: error.code, path: error.path, detail } };
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { id, ok: false, error: { kind: 'error', message } };
  }
}

/** Prices in the calling thread. */
export const inlinePricer: SimulationPricer = {
  price: async (job) => priceSimulation(job),
  close: async () => {},
};

/**
 * The pool. A thread that dies or hangs after it has priced something fails the jobs it held
 * (one of them may be what killed it) and is replaced at the next job. A thread that never
 * started (its module could not load) is a setup fault, not a job's: its jobs, and every job
 * after, are priced in the request's thread, and `onThreadError` says so once.
 */
class ThreadPricer implements SimulationPricer {
  readonly #threads: (PricingThread | undefined)[];
  readonly #entry: URL;
  readonly #timeoutMs: number;
  readonly #onThreadError: (error: Error) => void;
  #closed = false;
  #inline = false;

  constructor(size: number, options: PricerOptions) {
    this.#threads = new Array<PricingThread | undefined>(size).fill(undefined);
    this.#entry = options.entry ?? ENTRY;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#onThreadError = options.onThreadError ?? (() => {});
  }

  price(job: PricingJob): Promise<PricedSimulation> {
    if (this.#closed) return Promise.reject(new Error('the pricing threads are closed'));
    if (this.#inline) return inlinePricer.price(job);
    // The live thread with the fewest jobs out; a missing or dead one is (re)started.
    let chosen = 0;
    for (let i = 0; i < this.#threads.length; i++) {
      const thread = this.#threads[i];
      if (!thread?.alive) {
        chosen = i;
        break;
      }
      if (thread.pending < this.#threads[chosen]!.pending) chosen = i;
    }
    let thread = this.#threads[chosen];
    if (!thread?.alive) {
      this.#threads[chosen] = thread = new PricingThread(this.#entry, this.#timeoutMs, (error, started) =>
        this.#lost(error, started),
      );
    }
    return thread.run(job);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((thread) => thread?.stop()));
  }

  /** A thread is gone; `true` when its jobs may be priced here instead (it never started). */
  #lost(error: Error, started: boolean): boolean {
    if (started) {
      this.#onThreadError(error);
      return false;
    }
    if (!this.#inline) {
      this.#inline = true;
      this.#onThreadError(
        new Error(`no pricing thread could start; pricing in the request's thread (${error.message})`, {
          cause: error,
        }),
      );
    }
    return true;
  }
}

/** The URL of tsx's ESM API (`tsx/esm/api` under the `import` condition). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}

/**
 * A new thread running `entry`. TypeScript sources (under tsx, or a test runner) get tsx's
 * loader registered in the thread first: a worker does not inherit the parent's loader hooks.
 */
function startThread(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const api = tsxEsmApi();
  // The API package's tsconfig, whose `paths` send `@greenfin/core` to its source (as for
  // `npm start`): tsx would otherwise read the tsconfig of the process's working directory.
  const tsconfig = fileURLToPath(API_TSCONFIG);
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** How long a new thread may take to load its modules before its first job's time starts. */
const BOOT_MS = 30_000;

interface Waiter {
  job: PricingJob;
  /** `performance.now()` when sent. */
  sentAt: number;
  resolve: (value: PricedSimulation) => void;
  reject: (error: Error) => void;
}

class PricingThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Waiter>();
  readonly #watchdog: NodeJS.Timeout;
  #next = 0;
  /** Whether it has answered a job (so its module loaded), and since when (`performance.now()`). */
  #started = false;
  #startedAt = 0;
  readonly #createdAt = performance.now();
  alive = true;

  /**
   * @param lost told once when the thread is gone; answers whether its jobs may be priced in
   *   the request's thread instead of failing.
   */
  constructor(
    entry: URL,
    private readonly timeoutMs: number,
    private readonly lost: (error: Error, started: boolean) => boolean,
  ) {
    this.#worker = startThread(entry, { checkProjections: projectionsChecked() });
    this.#worker.unref();
    this.#worker.on('message', (reply: PricingReply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the pricing thread exited (code ${code})`)));
    // The oldest job out is the first in the map (insertion order). Its time runs from when it
    // was sent or the thread first answered, whichever is later; before that, the thread has
    // BOOT_MS to load its modules.
    this.#watchdog = setInterval(
      () => {
        const oldest = this.#pending.values().next().value;
        if (!oldest) return;
        const since = this.#started ? Math.max(oldest.sentAt, this.#startedAt) : this.#createdAt + BOOT_MS;
        if (performance.now() - since > this.timeoutMs) {
          this.#fail(
            new Error(`a loan simulation took over ${this.timeoutMs} ms to price; its thread was stopped`),
          );
          void this.#worker.terminate();
        }
      },
      Math.min(1000, Math.max(10, this.timeoutMs / 4)),
    ).unref();
  }

  get pending(): number {
    return this.#pending.size;
  }

  run(job: PricingJob): Promise<PricedSimulation> {
    const id = this.#next++;
    return new Promise<PricedSimulation>((resolve, reject) => {
      this.#pending.set(id, { job, sentAt: performance.now(), resolve, reject });
      this.#worker.postMessage({ id, job } satisfies PricingRequest);
    });
  }

  /** Terminates the thread; jobs still out fail. */
  async stop(): Promise<void> {
    if (this.alive) {
      this.alive = false;
      clearInterval(this.#watchdog);
      const error = new Error('the pricing threads were closed');
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    }
    await this.#worker.terminate();
  }

  #settle(reply: PricingReply) {
    if (!this.#started) {
      this.#started = true;
      this.#startedAt = performance.now();
    }
    const waiter = this.#pending.get(reply.id);
    if (!waiter) return;
    this.#pending.delete(reply.id);
    if (reply.ok) return waiter.resolve(reply.value);
    const error = reply.error;
    waiter.reject(
      error.kind === 'greenfin'
        ? new GreenfinError(error.code, error.path, error.detail)
        : new Error(`pricing thread: ${error.message}`),
    );
  }

  #fail(error: Error) {
    if (!this.alive) return;
    this.alive = false;
    clearInterval(this.#watchdog);
    const waiters = [...this.#pending.values()];
    this.#pending.clear();
    const inline = this.lost(error, this.#started);
    for (const waiter of waiters) {
      if (inline) inlinePricer.price(waiter.job).then(waiter.resolve, waiter.reject);
      else waiter.reject(error);
    }
  }
}
