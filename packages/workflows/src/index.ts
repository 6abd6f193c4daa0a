/**
 * @greenfin/workflows — long jobs (registry enrichment, dataset imports, PDF reports) as Temporal
 * workflows or on the in-process engine. The API imports the engine and shared types from here.
 */
export * from './registries/index.js';
export * from './imports/datasets/index.js';
export * from './reports/index.js';
