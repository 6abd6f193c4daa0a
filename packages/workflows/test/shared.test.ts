/**
 * The contract in shared.ts agrees with the modules that implement the activities: the error
 * names a profile refuses to retry are the names those modules actually throw, and the import
 * datasets are the ones the dataset parsers know.
 */
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES } from '../src/imports/datasets/types.js';
import { DatasetCsvError, DatasetError, DatasetHeaderError } from '../src/imports/datasets/errors.js';
import { NON_RETRYABLE_REGISTRY_ERROR_TYPES } from '../src/registries/errors.js';
import {
  ChromiumNotFoundError,
  ReportDataError,
  ReportRenderError,
  ReportRenderTimeoutError,
} from '../src/reports/errors.js';
import { OperationClosedError, OperationNotFoundError } from '../src/operations/activities.js';
import { InvalidInputError } from '../src/flows/failures.js';
import { ACTIVITY_PROFILES, ACTIVITY_ROUTES, IMPORT_DATASETS, TASK_QUEUES } from '../src/shared.js';

describe('shared contract', () => {
  it('never retries what the registry clients call non-retryable', () => {
    for (const type of NON_RETRYABLE_REGISTRY_ERROR_TYPES) {
      expect(ACTIVITY_PROFILES.registryCall.retry.nonRetryableErrorTypes).toContain(type);
    }
  });

  it('never retries a bad file or bad report data, but does retry a crashed or slow browser', () => {
    const batch: readonly string[] = ACTIVITY_PROFILES.batch.retry.nonRetryableErrorTypes;
    for (const error of [
      new DatasetError('invalid_option', 'x'),
      new DatasetHeaderError('eu-ets', 'x'),
      new DatasetCsvError('x', 2),
    ]) {
      expect(batch).toContain(error.name);
    }
    const render: readonly string[] = ACTIVITY_PROFILES.render.retry.nonRetryableErrorTypes;
    expect(render).toContain(new ReportDataError('f', 'x').name);
    expect(render).toContain(new ChromiumNotFoundError('/x').name);
    expect(render).not.toContain(new ReportRenderError('x').name);
    expect(render).not.toContain(new ReportRenderTimeoutError(1).name);
  });

  it('never retries invalid input or bookkeeping on a missing or closed operation', () => {
    for (const profile of Object.values(ACTIVITY_PROFILES)) {
      expect(profile.retry.nonRetryableErrorTypes).toContain(new InvalidInputError('f', 'x').name);
    }
    const bookkeeping: readonly string[] = ACTIVITY_PROFILES.bookkeeping.retry.nonRetryableErrorTypes;
    expect(bookkeeping).toContain(new OperationNotFoundError('x').name);
    expect(bookkeeping).toContain(new OperationClosedError('x', 'canceled').name);
  });

  it('lists the same import datasets as the dataset parsers', () => {
    expect([...IMPORT_DATASETS]).toEqual([...DATASET_NAMES]);
  });

  it('sends only registry lookups to the rate-limited registries queue', () => {
    const onRegistries = Object.entries(ACTIVITY_ROUTES)
      .filter(([, route]) => route.taskQueue === TASK_QUEUES.registries)
      .map(([name]) => name);
    expect(onRegistries).toEqual(['enrichCompany']);
  });
});
