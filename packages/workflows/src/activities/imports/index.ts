/**
 * Bulk import activities and the stores they use: uploads in PostgreSQL, staging + rejects, and
 * the apply step that writes the target tables.
 */
export { createImportActivities, rejectsLocation, type ImportActivityDeps } from './activities.js';
export { reasonFields } from './step-reader.js';
export {
  PgImportFileStore,
  ImportFileNotFoundError,
  IMPORT_FILE_CHUNK_BYTES,
  type ImportFileStore,
  type ImportFileInfo,
  type NewImportFile,
  type OpenImportFileOptions,
  type StoredImportFile,
} from './file-store.js';
export { streamRejectsCsv, REJECTS_CSV_HEADER } from './rejects.js';
export { purgeImportStaging } from './purge.js';
