import { ALERT_RULES } from '@greenfin/workflows';
import { pageOf, PageQuery, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';

export const AlertRuleSchema = z.enum(ALERT_RULES).openapi({
  description:
    '`dscr-below-threshold` (a simulation’s DSCR now, below ALERT_DSCR_THRESHOLD), `negative-net-cash-flow` (ALERT_NEGATIVE_MONTHS negative complete months running), `sustainability-kpi-missed` (a sustainability-linked KPI target missed by the reported metric).',
});

export const AlertSchema = z
  .object({
    id: Uuid,
    companyId: Uuid,
    loanSimulationId: Uuid.nullable(),
    rule: AlertRuleSchema,
    severity: z.enum(['info', 'warning', 'critical']),
    status: z.enum(['open', 'acknowledged', 'resolved']).openapi({
      description:
        '`open` until a person acknowledges it; `resolved` once an evaluation no longer finds the condition. While an alert is open or acknowledged its condition raises no other.',
    }),
    message: z.string(),
    details: z.record(z.unknown()).openapi({ description: 'The figures the rule tested.' }),
    raisedAt: Timestamp,
    acknowledgedAt: Timestamp.nullable(),
    acknowledgedBy: Uuid.nullable().openapi({ description: 'The user or API key that acknowledged it.' }),
    resolvedAt: Timestamp.nullable().openapi({
      description: 'When an evaluation found the condition cleared.',
    }),
  })
  .openapi('Alert');

export const AlertPage = pageOf(AlertSchema, 'AlertPage');

export const AlertListQuery = PageQuery.extend({
  status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  companyId: Uuid.optional(),
  rule: AlertRuleSchema.optional(),
});

/** Every field is optional, so the body may be left out entirely (`{}`: every company). */
export const EvaluateAlertsBody = z
  .object({ companyId: Uuid.optional().openapi({ description: 'One company; default all.' }) })
  .strict()
  .default({})
  .openapi('EvaluateAlertsRequest');

export type AlertJson = z.input<typeof AlertSchema>;
export type AlertListInput = z.output<typeof AlertListQuery>;
