/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers with
 * scripted status codes (per path: the next scripted code, then the path's default).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path: string): string;
  requests: ReceivedRequest[];
  requestsTo(path: string): ReceivedRequest[];
  /** The status codes the next requests to `path` get, in order; then `fallback` (default 200). */
  script(path: string, codes: number[], fallback?: number): void;
  /** Requests to `path` wait this long before being answered. */
  delay(path: string, ms: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, { codes: number[]; fallback: number }>();
  const delays = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({
        path,
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      const script = scripts.get(path);
      const code = script?.codes.shift() ?? script?.fallback ?? 200;
      const answer = () => {
        res.statusCode = code;
        res.end(code >= 400 ? `status ${code} from the test receiver` : 'ok');
      };
      const wait = delays.get(path);
      if (wait) setTimeout(answer, wait);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    script: (path, codes, fallback = 200) => scripts.set(path, { codes: [...codes], fallback }),
    delay: (path, ms) => delays.set(path, ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
