import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { ApiKey } from '../modules/api-keys/api-key.entity.js';
import { Organization } from '../modules/auth/organization.entity.js';
import { RefreshToken } from '../modules/auth/refresh-token.entity.js';
import { User } from '../modules/users/user.entity.js';
import { Company } from '../modules/companies/company.entity.js';
import { IdempotencyRecord } from '../modules/idempotency/idempotency-record.entity.js';
import { LoanSimulation } from '../modules/loan-simulations/loan-simulation.entity.js';
import { EnvironmentalMetric } from '../modules/metrics/metric.entity.js';

/** Every entity, listed explicitly (no folder scanning: works the same under tsx, vitest and node). */
export const entities = [
  Organization,
  User,
  ApiKey,
  RefreshToken,
  Company,
  EnvironmentalMetric,
  LoanSimulation,
  IdempotencyRecord,
  AuditLog,
];
