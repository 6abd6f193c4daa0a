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
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, GreenfinError } from '@greenfin/core';
import { projectionsChecked } from '../../http/projection.js';
import { type PricedSimulation, type PricingJob, priceSimulation } from './simulation-pricing.js';

/** The pricing threads' module (TypeScript under tsx and in tests, JavaScript once built). */
const ENTRY = new URL(`./pricing-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

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
  /** The threads' module; pricing-thread.ts by default (a test gives one that can die). */
  entry?: URL;
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
  return threads === 0 ? inlinePricer : new ThreadPricer(threads, options.entry ?? ENTRY);
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

class ThreadPricer implements SimulationPricer {
  readonly #threads: (PricingThread | undefined)[];
  #closed = false;

  constructor(
    size: number,
    private readonly entry: URL,
  ) {
    this.#threads = new Array<PricingThread | undefined>(size).fill(undefined);
  }

  price(job: PricingJob): Promise<PricedSimulation> {
    if (this.#closed) return Promise.reject(new Error('the pricing threads are closed'));
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
    if (!thread?.alive) this.#threads[chosen] = thread = new PricingThread(this.entry);
    return thread.run(job);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((thread) => thread?.stop()));
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
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

class PricingThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: PricedSimulation) => void; reject: (error: Error) => void }
  >();
  #next = 0;
  alive = true;

  constructor(entry: URL) {
    this.#worker = startThread(entry, { checkProjections: projectionsChecked() });
    this.#worker.unref();
    this.#worker.on('message', (reply: PricingReply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the pricing thread exited (code ${code})`)));
  }

  get pending(): number {
    return this.#pending.size;
  }

  run(job: PricingJob): Promise<PricedSimulation> {
    const id = this.#next++;
    return new Promise<PricedSimulation>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, job } satisfies PricingRequest);
    });
  }

  async stop(): Promise<void> {
    this.alive = false;
    await this.#worker.terminate();
  }

  #settle(reply: PricingReply) {
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
    this.alive = false;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
