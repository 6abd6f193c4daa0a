import { problems } from './problem.js';

const SEPARATOR = '\u0000';

/**
 * Opaque keyset cursors: the sort-key values of a page's last item, each tagged `s:` (string) or
 * `n:` (number), joined and base64url-encoded. Decoding never throws a parser error: a cursor that
 * is not ours is a 400 on `cursor`, never a 500.
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  const parts = values.map((v) => (typeof v === 'number' ? `n:${v}` : `s:${v}`));
  return Buffer.from(parts.join(SEPARATOR)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(SEPARATOR);
  const values = parts.map((part) => {
    if (part.startsWith('s:')) return part.slice(2);
    const n = part.startsWith('n:') ? Number(part.slice(2)) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  });
  if (values.length !== arity || values.some((v) => v === undefined)) {
    throw problems.validation([
      { in: 'query', pointer: '#/cursor', code: 'invalid_cursor', detail: 'Not a cursor from this list.' },
    ]);
  }
  return values as (string | number)[];
}
