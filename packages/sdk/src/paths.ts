import type { paths } from './generated/openapi.js';

/** The paths the client knows: exactly the generated document's. */
export type ApiPaths = paths;
