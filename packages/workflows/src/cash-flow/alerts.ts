/**
 * Cash-flow alerts: pure rule checks over a company's figures, and an evaluator that reads those
 * figures with SQL, raises each alert once per open fingerprint (`alerts_open_fingerprint_unique`)
 * and publishes `alert.raised` to the tenant's webhooks.
 *
 * Rules (docs/cash-flow.md, "Alerts"):
 * - `dscr-below-threshold`: for each of the company's loan simulations, the DSCR now — the average
 *   monthly net operating cash flow of the last 12 complete months over the simulation's monthly
 *   debt service — is below `dscrThreshold` (default 1.25x, the usual bank covenant);
 * - `negative-net-cash-flow`: the company's net cash flow was negative in each of the last
 *   `negativeMonths` complete calendar months (default 3);
 * - `sustainability-kpi-missed`: a sustainability-linked simulation's KPI target for a year is
 *   missed by the company's reported metric for that year.
 */
import {
  cashFlowAnalytics,
  monthlyDebtService,
  type CashFlowAnalytics,
  type Schedule,
  type IsoDate,
  type Transaction,
} from '@greenfin/core';
import { loadCompanyTransactions, type Queryable } from './transactions.js';

/** The rules, as stored in `alerts.rule`. */
export const ALERT_RULES = [
  'dscr-below-threshold',
  'negative-net-cash-flow',
  'sustainability-kpi-missed',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Thresholds of the rules. */
export interface AlertConfig {
  /** `dscr-below-threshold` fires below this DSCR. Default 1.25. */
  dscrThreshold: number;
  /** `negative-net-cash-flow` fires after this many negative complete months running. Default 3. */
  negativeMonths: number;
}

export const DEFAULT_ALERT_CONFIG: AlertConfig = Object.freeze({ dscrThreshold: 1.25, negativeMonths: 3 });

/** Categories left out of operating cash flow (the same list the API's underwriting uses). */
export const ALERT_NON_OPERATING_CATEGORIES: readonly string[] = [
  'loan-drawdown',
  'loan-repayment',
  'owner-transfer',
  'internal-transfer',
];

/** An alert a check wants raised; `fingerprint` identifies the condition while it stays open. */
export interface AlertCandidate {
  rule: AlertRule;
  severity: AlertSeverity;
  companyId: string;
  loanSimulationId: string | null;
  fingerprint: string;
  message: string;
  details: Record<string, unknown>;
}

/** A simulation as the DSCR check reads it. */
export interface SimulationDebtService {
  id: string;
  /** Minor units a month (the loan's first-year debt service). */
  monthlyDebtService: number;
}

/**
 * `dscr-below-threshold` for each simulation whose DSCR (cash flow / its monthly debt service) is
 * below the threshold. Severity critical below 1.0x (the cash flow does not cover the payment).
 *
 * @example dscrBelowThreshold('c', 100_000, [{ id: 's', monthlyDebtService: 90_000 }], 1.25)[0].details.dscr // 1.11…
 */
export function dscrBelowThreshold(
  companyId: string,
  monthlyCashFlow: number,
  simulations: readonly SimulationDebtService[],
  threshold: number,
): AlertCandidate[] {
  return simulations
    .filter((s) => s.monthlyDebtService > 0)
    .map((s) => ({ s, dscr: monthlyCashFlow / s.monthlyDebtService }))
    .filter(({ dscr }) => dscr < threshold)
    .map(({ s, dscr }) => ({
      rule: 'dscr-below-threshold' as const,
      severity: dscr < 1 ? ('critical' as const) : ('warning' as const),
      companyId,
      loanSimulationId: s.id,
      fingerprint: `dscr-below-threshold:${companyId}:${s.id}`,
      message: `DSCR ${dscr.toFixed(2)}x is below the ${threshold.toFixed(2)}x threshold for loan simulation ${s.id}.`,
      details: { dscr, threshold, monthlyCashFlow, monthlyDebtService: s.monthlyDebtService },
    }));
}

/**
 * `negative-net-cash-flow` when each of the last `months` periods (complete calendar months,
 * oldest first) had a negative net. One per company while open.
 *
 * @example negativeNetRunning('c', [{ start: '2025-01-01', end: '2025-01-31', net: -5 }], 1).length // 1
 */
export function negativeNetRunning(
  companyId: string,
  periods: readonly { start: string; end: string; net: number }[],
  months: number,
): AlertCandidate[] {
  let run = 0;
  for (let i = periods.length - 1; i >= 0 && periods[i]!.net < 0; i--) run++;
  if (run < months) return [];
  const last = periods.slice(-run);
  return [
    {
      rule: 'negative-net-cash-flow',
      severity: 'warning',
      companyId,
      loanSimulationId: null,
      fingerprint: `negative-net-cash-flow:${companyId}`,
      message: `Net cash flow has been negative for ${run} complete months running (${last[0]!.start} – ${last.at(-1)!.end}; threshold ${months}).`,
      details: { months: run, threshold: months, periods: last.map((p) => ({ ...p })) },
    },
  ];
}

/** A sustainability-linked simulation's KPI, as stored. */
export interface SustainabilityKpiTarget {
  id: string;
  metric: string;
  direction: 'decrease' | 'increase';
  targets: readonly { year: number; value: number }[];
}

/**
 * `sustainability-kpi-missed` for each KPI target year for which the company reported the metric
 * and missed the target (decrease: reported > target; increase: reported < target). Years not
 * reported yet are not alerts (nothing to test).
 *
 * @example kpiMissed('c', 's', [{ id: 'ghg', metric: 'scope1Tco2e', direction: 'decrease',
 *   targets: [{ year: 2024, value: 40 }] }], { 2024: { scope1Tco2e: 42 } }).length // 1
 */
export function kpiMissed(
  companyId: string,
  simulationId: string,
  kpis: readonly SustainabilityKpiTarget[],
  reported: Readonly<Record<number, Readonly<Record<string, number | null>>>>,
): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const kpi of kpis) {
    for (const target of kpi.targets) {
      const value = reported[target.year]?.[kpi.metric];
      if (value === undefined || value === null) continue;
      const met = kpi.direction === 'decrease' ? value <= target.value : value >= target.value;
      if (met) continue;
      out.push({
        rule: 'sustainability-kpi-missed',
        severity: 'warning',
        companyId,
        loanSimulationId: simulationId,
        fingerprint: `sustainability-kpi-missed:${simulationId}:${kpi.id}:${target.year}`,
        message: `KPI ${kpi.id} missed for ${target.year}: ${kpi.metric} ${value} against a target of ${kpi.direction === 'decrease' ? 'at most' : 'at least'} ${target.value}.`,
        details: {
          kpiId: kpi.id,
          metric: kpi.metric,
          direction: kpi.direction,
          year: target.year,
          target: target.value,
          reported: value,
        },
      });
    }
  }
  return out;
}

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const iso = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as IsoDate;

/**
 * Monthly analytics of a company's history up to its last complete month (a month is complete
 * once its last day is booked or past the latest booking date), or null without one.
 */
export function completeMonthsAnalytics(transactions: readonly Transaction[]): CashFlowAnalytics | null {
  if (transactions.length === 0) return null;
  const first = transactions[0]!.bookingDate;
  const last = transactions.at(-1)!.bookingDate;
  let [y, m] = last.split('-').map(Number) as [number, number];
  if (Number(last.slice(8)) !== lastDay(y, m)) {
    m -= 1;
    if (m === 0) [y, m] = [y - 1, 12];
  }
  const from = iso(Number(first.slice(0, 4)), Number(first.slice(5, 7)), 1);
  const to = iso(y, m, lastDay(y, m));
  if (to < from) return null;
  return cashFlowAnalytics({
    transactions,
    from,
    to,
    granularity: 'month',
    nonOperatingCategories: ALERT_NON_OPERATING_CATEGORIES,
  });
}

/** A raised alert, as stored. */
export interface AlertRow {
  id: string;
  organization_id: string;
  company_id: string;
  loan_simulation_id: string | null;
  rule: AlertRule;
  severity: AlertSeverity;
  status: 'open' | 'acknowledged' | 'resolved';
  fingerprint: string;
  message: string;
  details: Record<string, unknown>;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
}

/** An alert as webhooks and the API show it. */
export function alertJson(row: AlertRow) {
  return {
    id: row.id,
    companyId: row.company_id,
    loanSimulationId: row.loan_simulation_id,
    rule: row.rule,
    severity: row.severity,
    status: row.status,
    message: row.message,
    details: row.details,
    raisedAt: row.raised_at.toISOString(),
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}

export interface EvaluateAlertsRequest {
  organizationId: string;
  /** One company, or every company of the tenant with transactions or simulations. */
  companyId?: string | null;
}

export interface EvaluateAlertsResult {
  companies: number;
  /** Conditions found (open or new). */
  conditions: number;
  /** Alerts raised now (conditions with no active — open or acknowledged — alert). */
  raised: number;
  raisedIds: string[];
  /** Active alerts whose condition this evaluation no longer found, now resolved. */
  resolved: number;
}

export interface AlertEvaluatorDeps {
  db: Queryable;
  config?: Partial<AlertConfig>;
  /** Publishes `alert.raised` (the webhook notifier's `publish`); default none. */
  publish?: (event: {
    organizationId: string;
    event: 'alert.raised';
    dedupKey: string;
    data: Record<string, unknown>;
  }) => Promise<unknown>;
}

const METRIC_COLUMNS: Record<string, string> = {
  energyMwh: 'energy_mwh',
  scope1Tco2e: 'scope1_tco2e',
  scope2Tco2e: 'scope2_tco2e',
  scope3Tco2e: 'scope3_tco2e',
  renewableShare: 'renewable_share',
};

/**
 * Evaluates the rules for a tenant's companies (or one), inserting each new condition as an open
 * alert (`on conflict … do nothing`: a condition already open is not raised again) and
 * publishing `alert.raised` for each alert raised now.
 *
 * @example const r = await evaluateAlerts({ db: pool, publish: notifier.publish }, { organizationId });
 */
export async function evaluateAlerts(
  deps: AlertEvaluatorDeps,
  request: EvaluateAlertsRequest,
): Promise<EvaluateAlertsResult> {
  const config = { ...DEFAULT_ALERT_CONFIG, ...deps.config };
  const { db } = deps;
  const { organizationId } = request;
  const { rows: companies } = await db.query<{ company_id: string }>(
    `select distinct "company_id" from (
       select "company_id" from "bank_accounts" where "organization_id" = $1
       union select "company_id" from "loan_simulations" where "organization_id" = $1
     ) c where $2::uuid is null or "company_id" = $2`,
    [organizationId, request.companyId ?? null],
  );
  const raisedIds: string[] = [];
  let conditions = 0;
  let resolved = 0;
  for (const { company_id: companyId } of companies) {
    const candidates = await companyCandidates(db, organizationId, companyId, config);
    conditions += candidates.length;
    // Whatever is active but no longer found has cleared.
    const cleared = await db.query(
      `update "alerts" set "status" = 'resolved', "resolved_at" = now()
       where "organization_id" = $1 and "company_id" = $2 and "status" in ('open', 'acknowledged')
         and not ("fingerprint" = any($3::text[]))`,
      [organizationId, companyId, candidates.map((c) => c.fingerprint)],
    );
    resolved += cleared.rowCount ?? 0;
    for (const c of candidates) {
      const { rows } = await db.query<AlertRow>(
        `insert into "alerts" ("organization_id", "company_id", "loan_simulation_id", "rule", "severity", "fingerprint", "message", "details")
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
         on conflict ("organization_id", "fingerprint") where "status" in ('open', 'acknowledged') do nothing
         returning *`,
        [
          organizationId,
          c.companyId,
          c.loanSimulationId,
          c.rule,
          c.severity,
          c.fingerprint,
          c.message,
          JSON.stringify(c.details),
        ],
      );
      const row = rows[0];
      if (!row) continue;
      raisedIds.push(row.id);
      await deps.publish?.({
        organizationId,
        event: 'alert.raised',
        dedupKey: row.id,
        data: alertJson(row),
      });
    }
  }
  return { companies: companies.length, conditions, raised: raisedIds.length, raisedIds, resolved };
}

async function companyCandidates(
  db: Queryable,
  organizationId: string,
  companyId: string,
  config: AlertConfig,
): Promise<AlertCandidate[]> {
  const out: AlertCandidate[] = [];
  const transactions = await loadCompanyTransactions(db, organizationId, companyId);
  const monthly = completeMonthsAnalytics(transactions);
  if (monthly) out.push(...negativeNetRunning(companyId, monthly.periods, config.negativeMonths));
  const { rows: sims } = await db.query<{
    id: string;
    currency: string;
    start_date: string;
    frequency: string;
    schedule: Schedule['installments'];
    cash_flow: { monthlyDebtService?: number } | null;
    sustainability_linked: { kpis: SustainabilityKpiTarget[] } | null;
  }>(
    `select "id", "currency", to_char("start_date", 'YYYY-MM-DD') as "start_date", "frequency", "schedule", "cash_flow",
       "sustainability_linked"
     from "loan_simulations" where "organization_id" = $1 and "company_id" = $2`,
    [organizationId, companyId],
  );
  if (monthly && sims.length > 0) {
    // The last 12 complete months, as underwriting reads them.
    const window = monthly.periods.slice(-12);
    const analytics = cashFlowAnalytics({
      transactions,
      from: window[0]!.start,
      to: window.at(-1)!.end,
      granularity: 'month',
      nonOperatingCategories: ALERT_NON_OPERATING_CATEGORIES,
    });
    const comparable = sims.filter((s) => s.currency === analytics.currency);
    out.push(
      ...dscrBelowThreshold(
        companyId,
        analytics.averageMonthlyNetOperatingCashFlow,
        comparable.flatMap((s) => {
          try {
            const debt =
              s.cash_flow?.monthlyDebtService ??
              monthlyDebtService({
                startDate: s.start_date,
                frequency: s.frequency,
                installments: s.schedule,
              } as unknown as Schedule);
            return [{ id: s.id, monthlyDebtService: debt }];
          } catch {
            return []; // nothing due in the first year (a bullet loan): no DSCR to test
          }
        }),
        config.dscrThreshold,
      ),
    );
  }
  const linked = sims.filter((s) => s.sustainability_linked?.kpis.length);
  if (linked.length > 0) {
    const { rows: metrics } = await db.query<Record<string, number | null> & { year: number }>(
      `select "year", ${Object.values(METRIC_COLUMNS)
        .map((c) => `"${c}"`)
        .join(', ')} from "environmental_metrics" where "organization_id" = $1 and "company_id" = $2`,
      [organizationId, companyId],
    );
    const reported: Record<number, Record<string, number | null>> = {};
    for (const row of metrics) {
      const values: Record<string, number | null> = {};
      for (const [metric, column] of Object.entries(METRIC_COLUMNS)) values[metric] = row[column] ?? null;
      values.scope1And2Tco2e =
        values.scope1Tco2e === null || values.scope2Tco2e === null
          ? null
          : values.scope1Tco2e! + values.scope2Tco2e!;
      reported[row.year] = values;
    }
    for (const s of linked) out.push(...kpiMissed(companyId, s.id, s.sustainability_linked!.kpis, reported));
  }
  return out;
}

/**
 * Organisations with something to evaluate (bank accounts or loan simulations), for the
 * scheduled sweep.
 */
export async function alertOrganizations(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ organization_id: string }>(
    `select "organization_id" from "bank_accounts" union select "organization_id" from "loan_simulations"`,
  );
  return rows.map((r) => r.organization_id).sort();
}
