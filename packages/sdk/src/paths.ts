import type { paths } from './generated/openapi.js';
import type { OperationsApiPaths } from './operations.js';

/**
 * The paths the client knows: every path of the generated document, plus the long-running
 * operations API (`/v1/operations/…`) as agreed, for as long as the document does not have it.
 * Once it does, this is exactly the generated `paths` and the hand-written contract drops out.
 */
export type ApiPaths = '/v1/operations/{id}' extends keyof paths ? paths : paths & OperationsApiPaths;
