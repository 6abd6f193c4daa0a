import type { MikroORM } from '@mikro-orm/postgresql';
import type { Engine, ImportFileStore, OperationStore } from '@greenfin/workflows';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import { routeFactory } from './http/route.js';
import type { ApiKeysService } from './modules/api-keys/api-keys.service.js';
import type { AuthService } from './modules/auth/auth.service.js';
import type { Clock } from './clock.js';
import type { CompaniesService } from './modules/companies/companies.service.js';
import type { GreenScoreService } from './modules/green-score/green-score.service.js';
import type { LoanSimulationsService } from './modules/loan-simulations/loan-simulations.service.js';
import type { MetricsService } from './modules/metrics/metrics.service.js';
import type { OpenApiDocument } from './modules/docs/docs.routes.js';
import type { ReportsService } from './modules/reports/reports.service.js';
import type { UsersService } from './modules/users/users.service.js';
import type { WebhooksService } from './modules/webhooks/webhooks.service.js';
import type { AlertsService } from './modules/alerts/alerts.service.js';
import type { CashFlowService } from './modules/transactions/cash-flow.service.js';
import type { CategoryRulesService } from './modules/transactions/category-rules.service.js';
import type { TransactionsService } from './modules/transactions/transactions.service.js';

/** What handlers can reach, built once by `createApp` (the composition root). */
export interface Services {
  orm: MikroORM;
  /** A `pg` pool on the same database, for the job engine's tables (operations, reports, imports). */
  pool: Pool;
  /** Starts and cancels long-running jobs (Temporal or in-process). */
  jobs: Engine;
  /** Reads operations (the rows both engines write). */
  operations: OperationStore;
  auth: AuthService;
  users: UsersService;
  apiKeys: ApiKeysService;
  companies: CompaniesService;
  metrics: MetricsService;
  greenScores: GreenScoreService;
  loanSimulations: LoanSimulationsService;
  /** Bank transactions (ingest, list, manual categories). */
  transactions: TransactionsService;
  /** Categorisation rules. */
  categoryRules: CategoryRulesService;
  /** Cached cash-flow analytics. */
  cashFlow: CashFlowService;
  /** Cash-flow alerts (list, acknowledge, evaluate after an ingest). */
  alerts: AlertsService;
  /** Uploaded import files (`POST /v1/imports` stores them before starting the job). */
  importFiles: ImportFileStore;
  /** Webhook endpoints, the `notify` notifier and the delivery dispatcher (started by main.ts). */
  webhooks: WebhooksService;
  /** Rendered PDF reports and the jobs that render them. */
  reports: ReportsService;
  /** The app's clock (default dates, report times). */
  clock: Clock;
  /** The generated OpenAPI document (built after every route is mounted). */
  openapi: () => OpenApiDocument;
  prometheus: Registry;
  /** Scalar's browser bundle for /docs, read on first use. */
  scalarBundle: () => Promise<{ source: string; etag: string }>;
}

/** `defineRoute` bound to this app's services: every feature module defines its routes with it. */
export const route = routeFactory<Services>();
