import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  deleteCompanyCashFlowData,
  OperationStore,
  PgImportFileStore,
  type Engine,
} from '@greenfin/workflows';
import type { Pool } from 'pg';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type GenerationalCache, MemoryGenerationalCache } from './cache/generational-cache.js';
import { createPricer } from './modules/loan-simulations/pricing-pool.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import type { AppState } from './http/context.js';
import { errorMiddleware } from './http/errors.js';
import { createHttpMetrics, registerOperationsGauge } from './http/metrics.js';
import { accessLog, cors, requestContext, securityHeaders, unmatchedRoutes } from './http/middleware.js';
import { createOpenApiRegistry, generateOpenApiDocument } from './http/openapi-document.js';
import { MemoryRateLimitStore, rateLimit, type RateLimitStore } from './http/rate-limit.js';
import { type AnyRoute, mountRoutes } from './http/route.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { ApiKeysService } from './modules/api-keys/api-keys.service.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { authenticate } from './modules/auth/authenticate.js';
import { AccessTokens, PasswordHasher, randomSecret } from './modules/auth/credentials.js';
import { companiesRoutes } from './modules/companies/companies.routes.js';
import { CompaniesService, DUPLICATE_COMPANY } from './modules/companies/companies.service.js';
import { COMPANY_NUMBER_UNIQUE } from './modules/companies/company.entity.js';
import { docsRoutes, type OpenApiDocument, scalarBundleLoader } from './modules/docs/docs.routes.js';
import { greenScoreRoutes } from './modules/green-score/green-score.routes.js';
import { GreenScoreService } from './modules/green-score/green-score.service.js';
import { PgIdempotencyStore } from './modules/idempotency/idempotency.store.js';
import { loanSimulationsRoutes } from './modules/loan-simulations/loan-simulations.routes.js';
import { LoanSimulationsService } from './modules/loan-simulations/loan-simulations.service.js';
import { METRIC_YEAR_UNIQUE } from './modules/metrics/metric.entity.js';
import { metricsRoutes } from './modules/metrics/metrics.routes.js';
import { DUPLICATE_YEAR, MetricsService } from './modules/metrics/metrics.service.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { operationsRoutes } from './modules/operations/operations.routes.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { enrichmentRoutes } from './modules/enrichment/enrichment.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { CashFlowService } from './modules/transactions/cash-flow.service.js';
import { CategoryRulesService } from './modules/transactions/category-rules.service.js';
import { transactionsRoutes } from './modules/transactions/transactions.routes.js';
import { TransactionsService } from './modules/transactions/transactions.service.js';
import type { Services } from './services.js';

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  /** A `pg` pool on the same database (the job engine's tables). */
  pool: Pool;
  /** The job engine (`createJobEngine`); its operations are read through `OperationStore`. */
  jobs: Engine;
  logger: Logger;
  /** Shared rate-limit counters (Redis); in-process when absent. */
  rateLimitStore?: RateLimitStore;
  /** The green-score cache (Redis); in-process when absent. */
  cache?: GenerationalCache;
  /** "Now", for default dates and timestamps; the system clock when absent. */
  clock?: Clock;
  /**
   * Webhooks (endpoints, the notifier the job engine's `notify` activity calls, the dispatcher).
   * Built before the engine by main.ts and the test harness; a fresh one on `pool` when absent.
   */
  webhooks?: WebhooksService;
  /**
   * The Prometheus registry `/metrics` serves, when the job metrics (`createJobMetrics`) were
   * registered on it before the app (main.ts, the test harness); a fresh one when absent.
   */
  prometheus?: Registry;
}

/** The Koa app plus what tests and `main` need to see of it. */
export interface GreenfinApp extends Koa<AppState> {
  router: Router<AppState>;
  openapi: () => OpenApiDocument;
  services: Services;
}

/** Every route of the API, in documentation order. */
export const allRoutes: readonly AnyRoute<Services>[] = [
  ...authRoutes,
  ...companiesRoutes,
  ...metricsRoutes,
  ...greenScoreRoutes,
  ...loanSimulationsRoutes,
  ...transactionsRoutes,
  ...alertsRoutes,
  ...usersRoutes,
  ...apiKeysRoutes,
  ...webhooksRoutes,
  ...operationsRoutes,
  ...enrichmentRoutes,
  ...importsRoutes,
  ...systemRoutes,
  ...docsRoutes,
];

/**
 * Builds the API. Does nothing on import and nothing but wiring here: no listening, no
 * connecting (the ORM comes in connected), so tests drive `app.callback()` directly.
 */
export function createApp(deps: AppDeps): GreenfinApp {
  const { config, orm, logger } = deps;
  if (!config.jwtSecret)
    logger.warn('JWT_SECRET is not set: using a random secret; tokens end with the process');
  const passwords = new PasswordHasher(config.argon2);
  const tokens = new AccessTokens(config.jwtSecret ?? randomSecret(), config.accessTokenTtlSeconds);
  const apiKeys = new ApiKeysService({ cacheTtlMs: config.apiKeyCacheTtlSeconds * 1000 });
  const clock = deps.clock ?? systemClock;
  const cache = deps.cache ?? new MemoryGenerationalCache(config.greenScoreCacheTtlSeconds * 1000);
  // Whatever changes a score's inputs (SIC codes, target, metrics, deletion) drops its cache entry.
  const invalidateScore = (organizationId: string, companyId: string): Promise<void> =>
    greenScores.invalidate(organizationId, companyId);
  const companies: CompaniesService = new CompaniesService({
    onChange: invalidateScore,
    // Transactions, bank accounts and alerts live in workflows tables without a foreign key.
    onDelete: async (organizationId, companyId) => {
      await deleteCompanyCashFlowData(deps.pool, organizationId, companyId);
      await cashFlow.invalidate(organizationId, companyId);
    },
  });
  const greenScores: GreenScoreService = new GreenScoreService({ companies, cache, clock });
  const cashFlow = new CashFlowService({ pool: deps.pool, companies, cache, clock });
  const webhooks =
    deps.webhooks ??
    new WebhooksService({ pool: deps.pool, allowPrivateUrls: config.webhooks.allowPrivateUrls });
  const alerts = new AlertsService({
    pool: deps.pool,
    config: { dscrThreshold: config.alerts.dscrThreshold, negativeMonths: config.alerts.negativeMonths },
    publish: (event) => webhooks.notifier.publish(event),
    onError: (error) => logger.warn({ err: error }, 'alert evaluation after an ingest failed'),
  });
  // Whatever changes a company's transactions or their categories drops its cached analytics;
  // an ingest also evaluates its alerts.
  const transactionsChanged = async (organizationId: string, companyId: string): Promise<void> => {
    await cashFlow.invalidate(organizationId, companyId);
    alerts.evaluateCompany(organizationId, companyId);
  };
  const httpMetrics = createHttpMetrics({
    defaultMetrics: true,
    ...(deps.prometheus && { registry: deps.prometheus }),
  });
  registerOperationsGauge(httpMetrics.registry, deps.pool);

  const registry = createOpenApiRegistry();
  let document: OpenApiDocument | undefined;
  const openapi = () => (document ??= generateOpenApiDocument(registry));

  const services: Services = {
    orm,
    pool: deps.pool,
    jobs: deps.jobs,
    operations: new OperationStore(deps.pool),
    reports: new ReportsService(deps.pool, deps.jobs),
    importFiles: new PgImportFileStore(deps.pool),
    auth: new AuthService(passwords, tokens, apiKeys, config.refreshTokenTtlSeconds),
    users: new UsersService(passwords),
    apiKeys,
    companies,
    metrics: new MetricsService({ companies, onChange: invalidateScore }),
    greenScores,
    loanSimulations: new LoanSimulationsService({
      greenScores,
      clock,
      defaults: config.loanDefaults,
      synchronousCommit: config.simulationSynchronousCommit,
      cashFlow,
      entityManager: deps.orm.em,
      pricer: createPricer(config.pricingThreads, {
        onThreadError: (err) => logger.error({ err }, 'pricing thread lost'),
      }),
    }),
    transactions: new TransactionsService({ pool: deps.pool, companies, onChange: transactionsChanged }),
    categoryRules: new CategoryRulesService(deps.pool),
    cashFlow,
    alerts,
    webhooks,
    clock,
    openapi,
    prometheus: httpMetrics.registry,
    scalarBundle: scalarBundleLoader(),
  };

  const router = new Router<AppState>();
  mountRoutes(router, registry, allRoutes, {
    services,
    idempotency: new PgIdempotencyStore(),
    bodyLimitBytes: config.bodyLimitBytes,
    bulkBodyLimitBytes: config.bulkBodyLimitBytes,
    uploadLimitBytes: config.importMaxBytes,
  });

  const app = new Koa<AppState>() as GreenfinApp;
  app.router = router;
  app.openapi = openapi;
  app.services = services;
  app.on('error', (error: unknown) => logger.error({ err: error }, 'unhandled koa error'));
  app
    .use(requestContext({ logger, orm }))
    .use(httpMetrics.middleware)
    .use(accessLog(logger))
    .use(securityHeaders())
    .use(
      errorMiddleware({
        conflicts: { [COMPANY_NUMBER_UNIQUE]: DUPLICATE_COMPANY, [METRIC_YEAR_UNIQUE]: DUPLICATE_YEAR },
      }),
    )
    .use(cors({ origins: config.corsOrigins }))
    .use(authenticate({ auth: services.auth }))
    .use(
      rateLimit({
        store: deps.rateLimitStore ?? new MemoryRateLimitStore(),
        limit: config.rateLimit.perMinute,
        authLimit: config.rateLimit.authPerMinute,
        windowMs: 60_000,
      }),
    )
    .use(unmatchedRoutes())
    .use(router.routes())
    .use(router.allowedMethods());
  return app;
}
