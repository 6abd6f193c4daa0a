/**
 * Checks of job inputs, shared by the engines (before an operation row is written, so bad input
 * writes nothing) and the flows (a workflow started by hand in the Temporal UI gets the same
 * checks). Plain code, no schema library: this runs in the workflow sandbox.
 */
import {
  IMPORT_DATASETS,
  JOB_KINDS,
  MAX_ENRICHMENT_COMPANY_IDS,
  type JobKind,
  type JobParams,
  type OperationRef,
} from '../shared.js';
import { InvalidInputError } from './failures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for a canonical UUID string (any version). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

function requireUuid(value: unknown, field: string): void {
  if (!isUuid(value)) throw new InvalidInputError(field, `must be a UUID, got ${describe(value)}`);
}

function optionalPositiveInteger(value: unknown, field: string, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidInputError(field, `must be an integer from 1 to ${max}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Throws {@link InvalidInputError} naming the field unless `kind` is a job kind. */
export function assertJobKind(kind: unknown): asserts kind is JobKind {
  if (!(JOB_KINDS as readonly unknown[]).includes(kind)) {
    throw new InvalidInputError('kind', `must be one of ${JOB_KINDS.join(', ')}, got ${describe(kind)}`);
  }
}

/**
 * Validates what a caller passes to `Engine.start` for `kind`.
 *
 * @throws InvalidInputError naming the first invalid field.
 * @example validateJobParams('enrichment', { companyIds: ['…'] });
 */
export function validateJobParams<K extends JobKind>(
  kind: K,
  params: unknown,
): asserts params is JobParams<K> {
  assertJobKind(kind);
  if (!isRecord(params)) throw new InvalidInputError('input', `must be an object, got ${describe(params)}`);
  switch (kind) {
    case 'enrichment': {
      const { companyIds, all } = params;
      if (all !== undefined && typeof all !== 'boolean') {
        throw new InvalidInputError('all', `must be a boolean, got ${describe(all)}`);
      }
      if (all === true && companyIds !== undefined) {
        throw new InvalidInputError('companyIds', 'give either companyIds or all: true, not both');
      }
      if (all !== true) {
        if (!Array.isArray(companyIds) || companyIds.length === 0) {
          throw new InvalidInputError(
            'companyIds',
            'must be a non-empty array of company ids (or set all: true)',
          );
        }
        if (companyIds.length > MAX_ENRICHMENT_COMPANY_IDS) {
          throw new InvalidInputError(
            'companyIds',
            `at most ${MAX_ENRICHMENT_COMPANY_IDS} ids per job (got ${companyIds.length}); use all: true`,
          );
        }
        companyIds.forEach((id, i) => requireUuid(id, `companyIds[${i}]`));
      }
      optionalPositiveInteger(params.maxCompaniesPerRun, 'maxCompaniesPerRun', 100_000);
      return;
    }
    case 'import': {
      const { dataset, fileId, fileName, options } = params;
      if (!(IMPORT_DATASETS as readonly unknown[]).includes(dataset)) {
        throw new InvalidInputError(
          'dataset',
          `must be one of ${IMPORT_DATASETS.join(', ')}, got ${describe(dataset)}`,
        );
      }
      if (typeof fileId !== 'string' || fileId.trim() === '' || fileId.length > 200) {
        throw new InvalidInputError(
          'fileId',
          `must be a non-empty string of at most 200 characters, got ${describe(fileId)}`,
        );
      }
      if (fileName !== undefined && (typeof fileName !== 'string' || fileName.length > 500)) {
        throw new InvalidInputError(
          'fileName',
          `must be a string of at most 500 characters, got ${describe(fileName)}`,
        );
      }
      if (options !== undefined) {
        if (!isRecord(options))
          throw new InvalidInputError('options', `must be an object, got ${describe(options)}`);
        if (
          options.variant !== undefined &&
          (typeof options.variant !== 'string' || options.variant === '')
        ) {
          throw new InvalidInputError(
            'options.variant',
            `must be a non-empty string, got ${describe(options.variant)}`,
          );
        }
        if (
          options.year !== undefined &&
          (typeof options.year !== 'number' ||
            !Number.isInteger(options.year) ||
            options.year < 1990 ||
            options.year > 2100)
        ) {
          throw new InvalidInputError(
            'options.year',
            `must be an integer from 1990 to 2100, got ${describe(options.year)}`,
          );
        }
        if (options.companyId !== undefined) requireUuid(options.companyId, 'options.companyId');
        if (
          options.mapping !== undefined &&
          !(typeof options.mapping === 'string' && options.mapping !== '') &&
          !isRecord(options.mapping)
        ) {
          throw new InvalidInputError(
            'options.mapping',
            `must be a preset name or a mapping object, got ${describe(options.mapping)}`,
          );
        }
      }
      if (dataset === 'transactions') {
        if (!isRecord(options) || options.companyId === undefined) {
          throw new InvalidInputError(
            'options.companyId',
            'is required: the company the transactions belong to',
          );
        }
      } else if (isRecord(options) && (options.companyId !== undefined || options.mapping !== undefined)) {
        throw new InvalidInputError(
          options.companyId !== undefined ? 'options.companyId' : 'options.mapping',
          'applies to the transactions dataset only',
        );
      }
      optionalPositiveInteger(params.batchSize, 'batchSize', 100_000);
      optionalPositiveInteger(params.maxBatchesPerRun, 'maxBatchesPerRun', 100_000);
      return;
    }
    case 'report':
      requireUuid(params.loanSimulationId, 'loanSimulationId');
      return;
    case 'recategorisation':
      if (params.companyId !== undefined && params.companyId !== null)
        requireUuid(params.companyId, 'companyId');
      optionalPositiveInteger(params.batchSize, 'batchSize', 100_000);
      return;
    case 'alert-evaluation':
      if (params.companyId !== undefined && params.companyId !== null)
        requireUuid(params.companyId, 'companyId');
      return;
  }
}

/** Validates a whole workflow input: the operation reference plus the job's own fields. */
export function validateJobInput<K extends JobKind>(
  kind: K,
  input: unknown,
): asserts input is OperationRef & JobParams<K> {
  if (!isRecord(input)) throw new InvalidInputError('input', `must be an object, got ${describe(input)}`);
  requireUuid(input.operationId, 'operationId');
  requireUuid(input.organizationId, 'organizationId');
  validateJobParams(kind, input);
}
