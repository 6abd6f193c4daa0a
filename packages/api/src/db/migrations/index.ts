import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122043311 } from './Migration20261122043311.js';
import { Migration20261122050318 } from './Migration20261122050318.js';

/**
 * Committed migrations, in order. `npm run migration:create -w @greenfin/api` writes the next one
 * from the entity diff; append it here.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122043311', class: Migration20261122043311 },
  { name: 'Migration20261122050318', class: Migration20261122050318 },
];
