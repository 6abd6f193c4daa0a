import { availableParallelism } from 'node:os';
import { z } from 'zod';

const list = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().url()));

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Environment variables the API reads; everything has a default that works on one machine. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** PostgreSQL URL; absent → an embedded PostgreSQL in `PG_DATA_DIR`. */
  DATABASE_URL: z.string().url().optional(),
  PG_DATA_DIR: z.string().optional(),
  PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /**
   * Connections per API process. Every loan simulation commits a row; more connections let
   * PostgreSQL flush more commits per WAL write (group commit). Keep the sum over processes below
   * the server's max_connections.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /**
   * `off`: a loan simulation's INSERT is acknowledged before PostgreSQL flushes its WAL; a
   * database or OS crash can lose the last ~0.6 s of simulations (never corrupt data). See
   * docs/decisions/0004-simulation-commit-durability.md.
   */
  SIMULATION_SYNCHRONOUS_COMMIT: z.enum(['on', 'off']).default('on'),
  /**
   * Worker threads that price loan simulations (0: the request's thread); unset or empty (as
   * compose passes it) → one on a multi-core machine.
   */
  PRICING_THREADS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int().min(0).max(16).optional(),
  ),
  /** Redis URL for the cache and rate limits; in-process when absent. */
  REDIS_URL: z.string().url().optional(),
  /** HS256 secret for access tokens (≥ 32 chars); a random one per process when absent. */
  JWT_SECRET: z.string().min(32).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  CORS_ORIGINS: list.default(''),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /**
   * Largest JSON body of a batch route (`POST /v1/companies/{id}/transactions`, up to 5,000
   * transactions of ~250 bytes each).
   */
  BULK_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** Largest file `POST /v1/imports` accepts (413 above it); the upload is held in memory once. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024),
  /** Requests per minute per API key, user or anonymous IP; sign-in/up attempts per IP per minute. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seed the demo tenant (admin, API key, EcoTech). Defaults to on with the embedded database. */
  SEED_DEMO: flag.optional(),
  /** argon2id cost. Defaults follow OWASP's password storage cheat sheet (19 MiB, t = 2, p = 1). */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8).default(19_456),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).default(2),
  /**
   * Loan-simulation defaults when a request omits them. Base rate: Bank of England Bank Rate,
   * 3.75 % since 18 December 2025 (held on 5 February 2026); set it to the rate in force (or your
   * reference rate, e.g. SONIA). Credit spread: the lender's standard SME margin, 2.50 %.
   */
  DEFAULT_BASE_RATE: z.coerce.number().gt(-1).lt(1).default(0.0375),
  DEFAULT_CREDIT_SPREAD: z.coerce.number().gt(-1).lt(1).default(0.025),
  /** How long an API key's principal is remembered in-process (0: look it up on every request). */
  API_KEY_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** How long a computed green score stays cached (it is also dropped whenever its inputs change). */
  GREEN_SCORE_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 3600),
  /** Temporal frontend `host:port`; absent → jobs run on the in-process engine. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** In-process engine: jobs running at once (more wait as `queued`). */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /**
   * Milliseconds between housekeeping passes (purge operations past retention, orphan import rows
   * and uploads; close Temporal operations whose workflow was terminated). 0 disables.
   */
  HOUSEKEEPING_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** Prefix of every Redis key the API writes (cache, rate limits), so deployments can share a Redis. */
  REDIS_KEY_PREFIX: z.string().max(100).default('greenfin:'),
  /**
   * Accept http webhook URLs and ones resolving to private, loopback or link-local addresses.
   * For development and tests only (receivers on 127.0.0.1); never in production (SSRF).
   */
  WEBHOOK_ALLOW_PRIVATE_URLS: flag.default('false'),
  /** Alert `dscr-below-threshold` fires for a company's simulation whose DSCR is below this. */
  ALERT_DSCR_THRESHOLD: z.coerce.number().finite().min(0).max(100).default(1.25),
  /** Alert `negative-net-cash-flow` fires after this many complete months of negative net running. */
  ALERT_NEGATIVE_MONTHS: z.coerce.number().int().min(1).max(120).default(3),
  /** How often the in-process engine (or the Temporal Schedule) evaluates every tenant's alerts; 0: never. */
  ALERT_EVALUATION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60 * 60 * 1000),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  pgDataDir: string | undefined;
  pgPort: number;
  databasePoolSize: number;
  simulationSynchronousCommit: boolean;
  /** Worker threads pricing loan simulations (`PRICING_THREADS`; 0 = in the request's thread). */
  pricingThreads: number;
  redisUrl: string | undefined;
  jwtSecret: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  corsOrigins: string[];
  bodyLimitBytes: number;
  bulkBodyLimitBytes: number;
  importMaxBytes: number;
  logLevel: string;
  rateLimit: { perMinute: number; authPerMinute: number };
  seedDemo: boolean | undefined;
  argon2: { memoryCost: number; timeCost: number };
  loanDefaults: { baseRate: number; creditSpread: number };
  greenScoreCacheTtlSeconds: number;
  apiKeyCacheTtlSeconds: number;
  redisKeyPrefix: string;
  temporal: { address: string; namespace: string } | null;
  jobConcurrency: number;
  /** Housekeeping timer period; 0 = off. */
  housekeepingIntervalMs: number;
  webhooks: { allowPrivateUrls: boolean };
  alerts: { dscrThreshold: number; negativeMonths: number; evaluationIntervalMs: number };
}

/**
 * Reads and validates configuration from the environment.
 *
 * @example loadConfig({ PORT: '8080' }).port // 8080
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // Each process has its own memory: the green-score cache (invalidated on writes) and the rate
  // limits must be shared, or one process would serve a score another had invalidated.
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    pgDataDir: e.PG_DATA_DIR,
    pgPort: e.PG_PORT,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    simulationSynchronousCommit: e.SIMULATION_SYNCHRONOUS_COMMIT === 'on',
    // One pricing thread beside the event loop when there is a core for it (ADR 19).
    pricingThreads: e.PRICING_THREADS ?? (availableParallelism() > 1 ? 1 : 0),
    redisUrl: e.REDIS_URL,
    jwtSecret: e.JWT_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    corsOrigins: e.CORS_ORIGINS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    bulkBodyLimitBytes: e.BULK_BODY_LIMIT_BYTES,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    logLevel: e.LOG_LEVEL,
    rateLimit: { perMinute: e.RATE_LIMIT_PER_MINUTE, authPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE },
    seedDemo: e.SEED_DEMO,
    argon2: { memoryCost: e.ARGON2_MEMORY_KIB, timeCost: e.ARGON2_TIME_COST },
    loanDefaults: { baseRate: e.DEFAULT_BASE_RATE, creditSpread: e.DEFAULT_CREDIT_SPREAD },
    greenScoreCacheTtlSeconds: e.GREEN_SCORE_CACHE_TTL_SECONDS,
    apiKeyCacheTtlSeconds: e.API_KEY_CACHE_TTL_SECONDS,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    temporal: e.TEMPORAL_ADDRESS ? { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE } : null,
    jobConcurrency: e.JOB_CONCURRENCY,
    housekeepingIntervalMs: e.HOUSEKEEPING_INTERVAL_MS,
    webhooks: { allowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS },
    alerts: {
      dscrThreshold: e.ALERT_DSCR_THRESHOLD,
      negativeMonths: e.ALERT_NEGATIVE_MONTHS,
      evaluationIntervalMs: e.ALERT_EVALUATION_INTERVAL_MS,
    },
  };
}
