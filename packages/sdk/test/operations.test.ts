/**
 * waitForOperation and the PDF download's 202 flow, against a local server that plays the
 * operations API's contract (AIP-151: queued → running → succeeded | failed | canceled).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGreenfinClient,
  downloadReport,
  GreenfinApiError,
  GreenfinTimeoutError,
  type Operation,
  OperationFailedError,
  waitForOperation,
} from '../src/index.js';
import { gaps, problem, type Reply, scriptedServer, type ScriptedServer } from './support/scripted-server.js';

let server: ScriptedServer | undefined;
afterEach(() => server?.close());

const operation = (status: Operation['status'], extra: Partial<Operation> = {}): Operation => ({
  id: 'op-1',
  kind: 'report',
  status,
  done: status === 'succeeded' || status === 'failed' || status === 'canceled',
  engine: 'in-process',
  input: { loanSimulationId: 'sim-1' },
  expiresAt: '2026-12-08T21:00:01.000Z',
  links: { self: '/v1/operations/op-1', cancel: '/v1/operations/op-1:cancel' },
  progress: { completed: status === 'succeeded' ? 1 : 0, total: 1 },
  createdAt: '2026-12-01T21:00:00.000Z',
  updatedAt: '2026-12-01T21:00:01.000Z',
  result: status === 'succeeded' ? { pages: 3 } : null,
  resourceLocation: status === 'succeeded' ? '/v1/loan-simulations/sim-1/report' : null,
  error: null,
  ...extra,
});

/** Not finished yet, with `Retry-After` (null: without). */
const pending = (status: 'queued' | 'running', retryAfter: string | null = '0'): Reply => ({
  status: 200,
  headers: retryAfter === null ? {} : { 'Retry-After': retryAfter },
  body: operation(status),
});

async function clientFor(reply: (path: string, n: number, accept: string | undefined) => Reply) {
  server = await scriptedServer((req, n) => reply(req.path, n, req.headers.accept));
  return createGreenfinClient({ baseUrl: server.baseUrl, apiKey: 'gfk_test', retries: 0 });
}

describe('waitForOperation', () => {
  it('polls queued → running → succeeded, waiting each Retry-After, and resolves with the operation', async () => {
    const client = await clientFor((_path, n) =>
      n === 0
        ? pending('queued', '1')
        : n === 1
          ? pending('running', '0')
          : { status: 200, body: operation('succeeded') },
    );
    const polled: string[] = [];
    // With a 60 s interval only Retry-After can make this finish inside the 5 s timeout.
    const done = await waitForOperation(client, 'op-1', {
      timeoutMs: 5_000,
      pollIntervalMs: 60_000,
      onPoll: (op) => polled.push(op.status),
    });
    expect(done).toEqual(operation('succeeded'));
    expect(polled).toEqual(['queued', 'running', 'succeeded']);
    const seen = server!.seen;
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(Array(3).fill('GET /v1/operations/op-1'));
    expect(gaps(seen)[0]).toBeGreaterThanOrEqual(950);
    expect(seen.every((s) => s.headers.authorization === 'Bearer gfk_test')).toBe(true);
  });

  it('backs off, doubling up to the cap, when the API sends no Retry-After', async () => {
    const client = await clientFor((_path, n) =>
      n < 5 ? pending('running', null) : { status: 200, body: operation('succeeded') },
    );
    await waitForOperation(client, 'op-1', { timeoutMs: 5_000, pollIntervalMs: 50, maxPollIntervalMs: 100 });
    const waits = gaps(server!.seen);
    expect(waits).toHaveLength(5);
    [50, 100, 100, 100, 100].forEach((expected, i) => expect(waits[i]).toBeGreaterThanOrEqual(expected - 5));
    // Uncapped, the fifth wait would be 800 ms.
    expect(waits[4]).toBeLessThan(500);
  });

  it('rejects with OperationFailedError carrying the problem when the operation failed', async () => {
    const why = problem(422, 'Report rendering failed', 'the simulation has no schedule');
    const client = await clientFor((_path, n) =>
      n === 0 ? pending('running') : { status: 200, body: operation('failed', { error: why }) },
    );
    const error = await waitForOperation(client, 'op-1', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    const failed = error as OperationFailedError;
    expect(failed.problem).toEqual(why);
    expect(failed.operation.status).toBe('failed');
    expect(failed.message).toContain('the simulation has no schedule');
  });

  it('rejects with OperationFailedError when the operation was canceled', async () => {
    const why = problem(409, 'Canceled', 'canceled by the user');
    const client = await clientFor(() => ({ status: 200, body: operation('canceled', { error: why }) }));
    const error = await waitForOperation(client, 'op-1', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect((error as OperationFailedError).operation.status).toBe('canceled');
    expect((error as OperationFailedError).problem).toEqual(why);
  });

  it('rejects with GreenfinTimeoutError once timeoutMs has passed', async () => {
    const client = await clientFor(() => pending('running', null));
    const started = performance.now();
    const error = await waitForOperation(client, 'op-1', { timeoutMs: 300, pollIntervalMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GreenfinTimeoutError);
    expect((error as GreenfinTimeoutError).timeoutMs).toBe(300);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(server!.seen.length).toBeGreaterThanOrEqual(2);
  });

  it('rejects with an AbortError when the signal aborts while waiting between polls', async () => {
    const client = await clientFor(() => pending('running', '30'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await waitForOperation(client, 'op-1', {
      timeoutMs: 60_000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('aborts a poll in flight', async () => {
    const client = await clientFor(() => ({ ...pending('running'), delayMs: 10_000 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await waitForOperation(client, 'op-1', {
      timeoutMs: 60_000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('rejects with GreenfinApiError for an unknown operation', async () => {
    const client = await clientFor(() => ({ status: 404, body: problem(404, 'Not Found') }));
    const error = await waitForOperation(client, 'nope', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GreenfinApiError);
    expect((error as GreenfinApiError).status).toBe(404);
    expect((error as GreenfinApiError).problem?.title).toBe('Not Found');
  });
});

describe('downloadReport(…, "pdf")', () => {
  const PDF = new TextEncoder().encode('%PDF-1.7\n% Greenfin decision report\n%%EOF\n');
  const accepted: Reply = {
    status: 202,
    headers: { Location: '/v1/operations/op-pdf', 'Retry-After': '0' },
    body: operation('queued', { id: 'op-pdf' }),
  };

  it('waits for the rendering operation a 202 points to, then fetches the bytes', async () => {
    let rendered = false;
    const client = await clientFor((path, n, accept) => {
      if (path === '/v1/operations/op-pdf') {
        if (n === 0) return pending('running');
        rendered = true;
        return { status: 200, body: operation('succeeded', { id: 'op-pdf' }) };
      }
      expect(accept).toBe('application/pdf');
      return rendered ? { status: 200, headers: { 'Content-Type': 'application/pdf' }, body: PDF } : accepted;
    });
    const bytes = await downloadReport(client, 'sim-1', 'pdf', { timeoutMs: 5_000, pollIntervalMs: 10 });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toEqual(PDF);
    expect(server!.seen.map((s) => s.path)).toEqual([
      '/v1/loan-simulations/sim-1/report',
      '/v1/operations/op-pdf',
      '/v1/operations/op-pdf',
      '/v1/loan-simulations/sim-1/report',
    ]);
  });

  it('rejects with OperationFailedError when rendering failed', async () => {
    const why = problem(500, 'Rendering failed');
    const client = await clientFor((path) =>
      path.startsWith('/v1/operations/')
        ? { status: 200, body: operation('failed', { id: 'op-pdf', error: why }) }
        : accepted,
    );
    const error = await downloadReport(client, 'sim-1', 'pdf', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect((error as OperationFailedError).problem).toEqual(why);
  });

  it('rejects with GreenfinTimeoutError when rendering outlasts timeoutMs', async () => {
    const client = await clientFor((path) =>
      path.startsWith('/v1/operations/') ? pending('running', null) : accepted,
    );
    const error = await downloadReport(client, 'sim-1', 'pdf', { timeoutMs: 250, pollIntervalMs: 20 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GreenfinTimeoutError);
  });
});
