/**
 * Uploaded import files, stored in PostgreSQL (`import_files`) so that a worker on another machine
 * reads exactly the bytes the API received. Files are read back in slices, as a stream.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { InvalidInputError } from '../../flows/failures.js';
import type { ImportDatasetName } from '../../shared.js';

/** What {@link ImportFileStore.save} stores. */
export interface NewImportFile {
  dataset: ImportDatasetName;
  fileName: string;
  content: Buffer | Readable;
}

/** A stored file's identity. */
export interface StoredImportFile {
  fileId: string;
  sizeBytes: number;
  sha256: string;
}

/** The stored file's metadata. */
export interface ImportFileInfo extends StoredImportFile {
  organizationId: string;
  /** Physical lines, counted when the file was stored ({@link countLines}); null for older files. */
  lineCount: number | null;
  dataset: ImportDatasetName;
  fileName: string;
  createdAt: Date;
}

/** Options of {@link ImportFileStore.open}. */
export interface OpenImportFileOptions {
  /** First byte to read (0-based). Default 0. */
  start?: number;
  /** Read up to this byte offset (exclusive). Default: the end of the file. */
  end?: number;
}

/** The stored upload does not exist for this organization. Never retried (an `InvalidInput`). */
export class ImportFileNotFoundError extends InvalidInputError {
  constructor(readonly fileId: string) {
    super('fileId', `import file ${fileId} does not exist for this organization`);
  }
}

/** Where uploads are kept between the API's POST and the import job. */
export interface ImportFileStore {
  save(organizationId: string, file: NewImportFile): Promise<StoredImportFile>;
  /** Streams the file's bytes; fails with {@link ImportFileNotFoundError} for another tenant's file. */
  open(organizationId: string, fileId: string, options?: OpenImportFileOptions): Promise<Readable>;
  info(organizationId: string, fileId: string): Promise<ImportFileInfo | null>;
}

/** Largest piece a file stream yields. */
/**
 * Physical lines in a file's bytes: LF (or, in a file without any, CR) breaks, plus an
 * unterminated last line. An estimate of the data lines for progress (quoted line breaks count).
 */
export function countLines(chunks: Iterable<Buffer>): number {
  let lf = 0;
  let cr = 0;
  let last = -1;
  for (const chunk of chunks) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lf++;
    if (lf === 0) for (let i = chunk.indexOf(0x0d); i !== -1; i = chunk.indexOf(0x0d, i + 1)) cr++;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  const breaks = lf > 0 ? lf : cr;
  return breaks + (last !== -1 && last !== 0x0a && last !== 0x0d ? 1 : 0);
}

const YIELD_BYTES = 16 * 1024;

/** Bytes fetched per query when streaming a file. */
export const IMPORT_FILE_CHUNK_BYTES = 1 << 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function collect(content: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** {@link ImportFileStore} on the `import_files` table. */
export class PgImportFileStore implements ImportFileStore {
  constructor(
    private readonly pool: Pool,
    private readonly chunkBytes = IMPORT_FILE_CHUNK_BYTES,
  ) {}

  /** Stores the file (the caller bounds its size: the API refuses large uploads before this). */
  async save(organizationId: string, file: NewImportFile): Promise<StoredImportFile> {
    const content = await collect(file.content);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const fileId = randomUUID();
    await this.pool.query(
      `insert into "import_files" ("id", "organization_id", "dataset", "file_name", "size_bytes", "sha256", "line_count", "content")
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        fileId,
        organizationId,
        file.dataset,
        file.fileName,
        content.length,
        sha256,
        countLines([content]),
        content,
      ],
    );
    return { fileId, sizeBytes: content.length, sha256 };
  }

  async info(organizationId: string, fileId: string): Promise<ImportFileInfo | null> {
    if (!UUID.test(fileId) || !UUID.test(organizationId)) return null;
    const { rows } = await this.pool.query<{
      id: string;
      organization_id: string;
      dataset: ImportDatasetName;
      file_name: string;
      size_bytes: string;
      sha256: string;
      line_count: number | null;
      created_at: Date;
    }>(
      `select "id", "organization_id", "dataset", "file_name", "size_bytes", "sha256", "line_count", "created_at"
       from "import_files" where "organization_id" = $1 and "id" = $2`,
      [organizationId, fileId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      fileId: row.id,
      organizationId: row.organization_id,
      dataset: row.dataset,
      fileName: row.file_name,
      sizeBytes: Number(row.size_bytes),
      sha256: row.sha256.trim(),
      lineCount: row.line_count,
      createdAt: row.created_at,
    };
  }

  /**
   * Streams the bytes in slices of `chunkBytes` (one query each), from `start`. The first slice
   * is fetched before this resolves, so a missing file fails here rather than mid-stream.
   */
  async open(organizationId: string, fileId: string, options: OpenImportFileOptions = {}): Promise<Readable> {
    if (!UUID.test(fileId) || !UUID.test(organizationId)) throw new ImportFileNotFoundError(fileId);
    const { pool, chunkBytes } = this;
    let position = Math.max(0, options.start ?? 0);
    let end = options.end ?? Number.MAX_SAFE_INTEGER;
    const fetch = async (): Promise<Buffer | null> => {
      const length = Math.min(chunkBytes, end - position);
      if (length <= 0) return Buffer.alloc(0);
      const { rows } = await pool.query<{ slice: Buffer; size: number }>(
        `select substring("content" from $3::int for $4::int) as "slice", octet_length("content") as "size"
         from "import_files" where "organization_id" = $1 and "id" = $2`,
        [organizationId, fileId, position + 1, length],
      );
      const row = rows[0];
      if (!row) return null;
      end = Math.min(end, row.size);
      position += row.slice.length;
      return row.slice;
    };
    const first = await fetch();
    if (first === null) throw new ImportFileNotFoundError(fileId);
    async function* slices(): AsyncGenerator<Buffer> {
      let slice: Buffer | null = first;
      while (slice !== null && slice.length > 0) {
        // Handed on in small pieces: a CSV parser takes a whole chunk at once, so a reader that
        // stops early (one batch of a large file) never parses far beyond what it needed.
        for (let at = 0; at < slice.length; at += YIELD_BYTES) yield slice.subarray(at, at + YIELD_BYTES);
        if (position >= end) return;
        slice = await fetch();
      }
    }
    // One slice read ahead at most: a batch that stops early has not fetched the rest of the file.
    return Readable.from(slices(), { objectMode: false, highWaterMark: 1 });
  }
}
