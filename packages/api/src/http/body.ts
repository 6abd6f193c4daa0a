import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { AppContext } from './context.js';
import { HttpProblem, problems } from './problem.js';

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

/** One file part of a multipart/form-data body, read into memory (bounded by the upload limit). */
export interface UploadedFile {
  fieldName: string;
  fileName: string;
  mimeType: string;
  content: Buffer;
  sizeBytes: number;
}

/** What {@link readMultipartBody} read: text fields (first value of each name) and file parts. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

const MULTIPART_TYPE = 'multipart/form-data';

/**
 * Reads a multipart/form-data body with busboy, streaming: 415 for another media type, 413 when
 * Content-Length or a file part exceeds `limitBytes` (the rest of the upload is drained, not
 * buffered), 400 for a malformed body. Only the file parts named in `fileFields` are kept; other
 * file parts are drained. Returns `undefined` when there is no body.
 */
export async function readMultipartBody(
  ctx: AppContext,
  limitBytes: number,
  fileFields: readonly string[],
): Promise<MultipartBody | undefined> {
  const declaredLength = ctx.request.length;
  const chunked = /chunked/i.test(ctx.get('Transfer-Encoding'));
  if (!chunked && !declaredLength) return undefined;
  if (ctx.request.type !== MULTIPART_TYPE) {
    ctx.req.resume();
    throw new HttpProblem(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Send the body as ${MULTIPART_TYPE} (got ${ctx.get('Content-Type') || 'no content type'}).`,
      { headers: { 'Accept-Post': MULTIPART_TYPE } },
    );
  }
  // Headers and the other fields take a little room besides the file itself.
  const envelope = 64 * 1024;
  if (declaredLength && declaredLength > limitBytes + envelope) {
    ctx.req.resume();
    throw problems.payloadTooLarge(limitBytes);
  }
  return new Promise<MultipartBody>((resolve, reject) => {
    let parser: ReturnType<typeof busboy>;
    try {
      parser = busboy({
        headers: ctx.req.headers,
        limits: { fileSize: limitBytes, files: fileFields.length + 4, fields: 50, fieldSize: 64 * 1024 },
      });
    } catch (error) {
      ctx.req.resume();
      reject(problems.malformedMultipart(error instanceof Error ? error.message : 'unreadable'));
      return;
    }
    const body: MultipartBody = { fields: Object.create(null), files: Object.create(null) };
    let failure: HttpProblem | null = null;
    const fail = (problem: HttpProblem) => {
      failure ??= problem;
    };
    parser.on('field', (name, value) => {
      if (!(name in body.fields)) body.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (!fileFields.includes(name) || name in body.files || failure) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        chunks.push(chunk);
      });
      stream.on('limit', () => {
        chunks.length = 0;
        fail(problems.payloadTooLarge(limitBytes));
        stream.resume();
      });
      stream.on('end', () => {
        if (failure) return;
        body.files[name] = {
          fieldName: name,
          fileName: info.filename ?? name,
          mimeType: info.mimeType,
          content: Buffer.concat(chunks, size),
          sizeBytes: size,
        };
      });
    });
    parser.on('error', (error: unknown) => {
      ctx.req.unpipe(parser);
      ctx.req.resume();
      reject(failure ?? problems.malformedMultipart(error instanceof Error ? error.message : 'unreadable'));
    });
    parser.on('close', () => (failure ? reject(failure) : resolve(body)));
    ctx.req.on('error', reject);
    ctx.req.pipe(parser);
  });
}
