/**
 * The alert rules as pure checks, the Temporal Schedule's options, the in-process timer and the
 * worker's configuration parsing; the schedule against a real Temporal server only where one is
 * (TEMPORAL_ADDRESS), like the real-Temporal suite.
 */
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_CONFIG,
  dscrBelowThreshold,
  kpiMissed,
  negativeNetRunning,
} from '../src/cash-flow/alerts.js';
import {
  alertEvaluationIntervalFromEnv,
  alertSweepScheduleOptions,
  ensureAlertSweepSchedule,
  startAlertSweepTimer,
} from '../src/cash-flow/schedule.js';
import { ALERT_SWEEP_SCHEDULE_ID, ALERT_SWEEP_WORKFLOW, TASK_QUEUES } from '../src/shared.js';
import { alertConfigFromEnv } from '../src/temporal/worker.js';

const month = (m: number, net: number) => ({
  start: `2025-${String(m).padStart(2, '0')}-01`,
  end: `2025-${String(m).padStart(2, '0')}-28`,
  net,
});

describe('alert rules', () => {
  it('defaults: 1.25x DSCR (bank covenant), 3 negative months', () => {
    expect(DEFAULT_ALERT_CONFIG).toEqual({ dscrThreshold: 1.25, negativeMonths: 3 });
  });

  it('dscr-below-threshold: cash flow / debt service below the threshold, critical below 1x', () => {
    const sims = [
      { id: 'covered', monthlyDebtService: 50_000 }, // 100,000 / 50,000 = 2.00x
      { id: 'tight', monthlyDebtService: 85_000 }, // 1.176…x
      { id: 'short', monthlyDebtService: 125_000 }, // 0.80x
      { id: 'edge', monthlyDebtService: 80_000 }, // exactly 1.25x: not below
    ];
    const raised = dscrBelowThreshold('c1', 100_000, sims, 1.25);
    expect(raised.map((a) => [a.loanSimulationId, a.severity])).toEqual([
      ['tight', 'warning'],
      ['short', 'critical'],
    ]);
    expect(raised[0]!.details.dscr).toBeCloseTo(100_000 / 85_000, 12);
    expect(raised[0]!.fingerprint).toBe('dscr-below-threshold:c1:tight');
  });

  it('negative-net-cash-flow: only a run of at least N at the end counts', () => {
    expect(negativeNetRunning('c', [month(1, -5), month(2, -5), month(3, -5), month(4, 1)], 3)).toEqual([]);
    expect(negativeNetRunning('c', [month(1, 9), month(2, -1), month(3, -2)], 3)).toEqual([]);
    const [alert] = negativeNetRunning(
      'c',
      [month(1, 9), month(2, -1), month(3, -2), month(4, -3), month(5, -4)],
      3,
    );
    expect(alert!.details.months).toBe(4);
    expect(alert!.fingerprint).toBe('negative-net-cash-flow:c');
    // A zero month breaks the run: it is not negative.
    expect(negativeNetRunning('c', [month(1, -1), month(2, 0), month(3, -1)], 2)).toEqual([]);
  });

  it('sustainability-kpi-missed: decrease means reported ≤ target is met, increase ≥; unreported years wait', () => {
    const kpis = [
      {
        id: 'ghg',
        metric: 'scope1And2Tco2e',
        direction: 'decrease' as const,
        targets: [
          { year: 2023, value: 90 },
          { year: 2024, value: 85 },
          { year: 2025, value: 80 },
        ],
      },
      {
        id: 're',
        metric: 'renewableShare',
        direction: 'increase' as const,
        targets: [{ year: 2024, value: 0.5 }],
      },
    ];
    const reported = {
      2023: { scope1And2Tco2e: 90, renewableShare: 0.6 },
      2024: { scope1And2Tco2e: 85.1, renewableShare: 0.49 },
    };
    const raised = kpiMissed('c', 's', kpis, reported);
    expect(raised.map((a) => a.fingerprint)).toEqual([
      'sustainability-kpi-missed:s:ghg:2024',
      'sustainability-kpi-missed:s:re:2024',
    ]);
  });
});

describe('the alert-evaluation schedule', () => {
  it('Temporal Schedule options: the sweep workflow on the jobs queue every interval, overlaps skipped', () => {
    const options = alertSweepScheduleOptions(3_600_000);
    expect(options.scheduleId).toBe(ALERT_SWEEP_SCHEDULE_ID);
    expect(options.spec.intervals).toEqual([{ every: 3_600_000 }]);
    expect(options.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: ALERT_SWEEP_WORKFLOW,
      taskQueue: TASK_QUEUES.jobs,
      args: [{}],
    });
    expect(options.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 3_600_000 });
    expect(() => alertSweepScheduleOptions(0)).toThrow(/positive/);
  });

  it('ALERT_EVALUATION_INTERVAL_MS: default one hour, 0 disables, nonsense is refused by name', () => {
    expect(alertEvaluationIntervalFromEnv({})).toBe(3_600_000);
    expect(alertEvaluationIntervalFromEnv({ ALERT_EVALUATION_INTERVAL_MS: '0' })).toBe(0);
    expect(() => alertEvaluationIntervalFromEnv({ ALERT_EVALUATION_INTERVAL_MS: '-5' })).toThrow(
      /ALERT_EVALUATION_INTERVAL_MS/,
    );
    expect(alertConfigFromEnv({ ALERT_DSCR_THRESHOLD: '1.5', ALERT_NEGATIVE_MONTHS: '4' })).toEqual({
      dscrThreshold: 1.5,
      negativeMonths: 4,
    });
    expect(() => alertConfigFromEnv({ ALERT_NEGATIVE_MONTHS: '2.5' })).toThrow(/ALERT_NEGATIVE_MONTHS/);
    expect(() => alertConfigFromEnv({ ALERT_DSCR_THRESHOLD: 'high' })).toThrow(/ALERT_DSCR_THRESHOLD/);
  });

  it('in-process timer: sweeps every interval with the interval’s slot; 0 starts nothing', async () => {
    const slots: string[] = [];
    let now = 1_000_000;
    const stop = startAlertSweepTimer({
      intervalMs: 20,
      now: () => (now += 20),
      sweep: async (slot) => {
        slots.push(slot);
      },
    });
    await new Promise((r) => setTimeout(r, 110));
    stop();
    const count = slots.length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(new Set(slots).size).toBe(count);
    expect(slots[0]).toMatch(/^20:\d+$/);
    await new Promise((r) => setTimeout(r, 60));
    expect(slots.length).toBe(count); // stopped
    const never: string[] = [];
    startAlertSweepTimer({ intervalMs: 0, sweep: async (s) => void never.push(s) })();
    expect(never).toEqual([]);
  });

  const address = process.env.TEMPORAL_ADDRESS;
  it.skipIf(!address)(
    address
      ? `creates, updates and deletes the schedule on ${address}`
      : 'schedule on a real Temporal server — SKIPPED: set TEMPORAL_ADDRESS to run',
    async () => {
      const connection = await Connection.connect({ address: address! });
      const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
      try {
        await ensureAlertSweepSchedule(client.schedule, 0);
        expect(await ensureAlertSweepSchedule(client.schedule, 600_000)).toBe('created');
        expect(await ensureAlertSweepSchedule(client.schedule, 900_000)).toBe('updated');
        const described = await client.schedule.getHandle(ALERT_SWEEP_SCHEDULE_ID).describe();
        expect(described.spec.intervals?.[0]?.every).toBe(900_000);
        expect(await ensureAlertSweepSchedule(client.schedule, 0)).toBe('deleted');
      } finally {
        await connection.close();
      }
    },
  );
});
