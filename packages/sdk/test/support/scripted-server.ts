import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; a Uint8Array as is. */
  body?: unknown;
  /** Destroy the socket instead of answering (a network error for the client). */
  drop?: boolean;
  /** Answer after this long. */
  delayMs?: number;
}

export interface ScriptedServer {
  baseUrl: string;
  seen: Seen[];
  close: () => Promise<void>;
}

/**
 * A tiny local HTTP server whose answers a test scripts: `reply(request, n)` is called with every
 * request and how many came before it on the same path.
 */
export async function scriptedServer(reply: (request: Seen, n: number) => Reply): Promise<ScriptedServer> {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Seen = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      seen.push(request);
      const n = counts.get(request.path) ?? 0;
      counts.set(request.path, n + 1);
      const answer = reply(request, n);
      const send = () => {
        if (answer.drop) {
          req.socket.destroy();
          return;
        }
        const isBytes = answer.body instanceof Uint8Array;
        const isJson = answer.body !== undefined && !isBytes && typeof answer.body !== 'string';
        const headers = {
          ...(isJson
            ? { 'Content-Type': answer.status >= 400 ? 'application/problem+json' : 'application/json' }
            : {}),
          ...answer.headers,
        };
        res.writeHead(answer.status, headers);
        res.end(
          answer.body === undefined
            ? undefined
            : isBytes || typeof answer.body === 'string'
              ? (answer.body as Uint8Array | string)
              : JSON.stringify(answer.body),
        );
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Milliseconds between consecutive requests. */
export const gaps = (seen: Seen[]): number[] => seen.slice(1).map((s, i) => s.at - seen[i]!.at);

export const problem = (status: number, title: string, detail = title) => ({
  type: `/problems/${title.toLowerCase().replace(/\W+/g, '-')}`,
  title,
  status,
  detail,
});
