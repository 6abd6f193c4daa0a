/**
 * The seam between the hand-written operations contract and the generated types. These are type
 * assertions: `tsc -p packages/sdk/tsconfig.json` fails when they do not hold.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { paths } from '../src/generated/openapi.js';
import type { ApiPaths, Operation, OperationContract } from '../src/index.js';
import type { OperationsApiPaths } from '../src/operations.js';
import type { WithOperationsApi } from '../src/paths.js';

describe('ApiPaths', () => {
  it('adds the operations contract while the generated document lacks it', () => {
    expectTypeOf<'/v1/operations/{id}' extends keyof paths ? true : false>().toEqualTypeOf<false>();
    expectTypeOf<ApiPaths>().toEqualTypeOf<paths & OperationsApiPaths>();
    expectTypeOf<Operation>().toEqualTypeOf<OperationContract>();
  });

  it('is the generated paths alone once they have the operations API', () => {
    interface Regenerated {
      '/v1/companies': { get: unknown };
      '/v1/operations/{id}': {
        get: { responses: { 200: { content: { 'application/json': { id: 'x' } } } } };
      };
    }
    expectTypeOf<WithOperationsApi<Regenerated>>().toEqualTypeOf<Regenerated>();
    expectTypeOf<WithOperationsApi<{ '/v1/companies': unknown }>>().toEqualTypeOf<
      { '/v1/companies': unknown } & OperationsApiPaths
    >();
  });
});
