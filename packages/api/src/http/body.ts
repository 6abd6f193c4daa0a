import type { IncomingMessage } from 'node:http';
import type { AppContext } from './context.js';
import { problems } from './problem.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Reads and parses a JSON request body: 415 for another media type or charset, 413 past
 * `limitBytes` (checked on Content-Length first, then while streaming), 400 for malformed JSON.
 * Returns `undefined` when there is no body, so the route's schema can say it is required.
 */
export async function readJsonBody(ctx: AppContext, limitBytes: number): Promise<unknown> {
  const declaredLength = ctx.request.length;
  const chunked = /chunked/i.test(ctx.get('Transfer-Encoding'));
  if (!chunked && !declaredLength) return undefined;

  const mediaType = ctx.request.type;
  const charset = ctx.request.charset;
  if (!JSON_TYPE.test(mediaType) || (charset && !/^utf-?8$/i.test(charset))) {
    ctx.req.resume();
    throw problems.unsupportedMediaType(ctx.get('Content-Type'));
  }
  if (declaredLength && declaredLength > limitBytes) {
    ctx.req.resume();
    throw problems.payloadTooLarge(limitBytes);
  }
  const text = await readText(ctx.req, limitBytes);
  if (text.trim() === '') return undefined;
  return parseJson(text);
}

function parseJson(text: string): Promise<unknown> {
  // The parse boundary turns JSON.parse's SyntaxError into the 400 problem; it re-labels nothing
  // else, so the error middleware stays the one place that maps errors to answers.
  return Promise.resolve(text)
    .then((t) => JSON.parse(t) as unknown)
    .catch((error: unknown) => {
      throw problems.malformedJson(error instanceof Error ? error.message : 'unreadable');
    });
}

function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off('data', onData);
        req.off('end', onEnd);
        // Keep draining (discarding) so the connection can still carry our 413.
        req.resume();
        reject(problems.payloadTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}
