import type { paths } from './generated/openapi.js';
import type { OperationsApiPaths } from './operations.js';

/**
 * A document's paths, plus the long-running operations API (`/v1/operations/…`) as agreed for as
 * long as the document does not have it. Once it does, this is exactly the document's paths and
 * the hand-written contract drops out.
 */
export type WithOperationsApi<P> = '/v1/operations/{id}' extends keyof P ? P : P & OperationsApiPaths;

/** The paths the client knows: the generated ones (see WithOperationsApi). */
export type ApiPaths = WithOperationsApi<paths>;
