/**
 * Bulk writes: streaming COPY text into a table. The text itself is encoded by
 * `imports/datasets/copy-text.ts`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Streams `lines` (already COPY-encoded, each ending in `\n`) into `table (columns)`. */
export async function copyRows(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0) return;
  const sql = `copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`;
  const target = client.query(copyFrom(sql));
  // Joined into ~256 KiB chunks: one write per row would cost more than the encoding.
  async function* chunks(): AsyncGenerator<string> {
    let buffer = '';
    for (const line of lines) {
      buffer += line;
      if (buffer.length >= 1 << 18) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer !== '') yield buffer;
  }
  await pipeline(Readable.from(chunks()), target);
}
