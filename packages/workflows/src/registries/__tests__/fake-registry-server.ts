/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) standing in for a registry: each test sets
 * the handler, and every request is recorded so tests can check what the client actually sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => void;

export interface FakeRegistryServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replaces the handler for the next requests. */
  handle(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Starts the server; the default handler answers 500 so a forgotten `handle()` fails loudly. */
export async function startFakeRegistryServer(): Promise<FakeRegistryServer> {
  const requests: RecordedRequest[] = [];
  let handler: FakeHandler = (_request, response) => sendJson(response, 500, { error: 'no handler set' });
  const server = createServer((req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(recorded);
    req.resume();
    handler(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    close() {
      // Handlers that never answer keep sockets open; close them so the test run can end.
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Reads a fixture from packages/workflows/test/fixtures/registries/. */
export function registryFixture(relativePath: string): unknown {
  const url = new URL(`../../../test/fixtures/registries/${relativePath}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}
