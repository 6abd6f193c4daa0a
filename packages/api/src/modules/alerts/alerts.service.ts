/**
 * Alerts as the API shows them (the `alerts` table the workflows evaluator writes): listing with
 * filters and a keyset cursor (newest first), and acknowledging — after which the same condition
 * can raise a new alert.
 */
import {
  alertJson,
  evaluateAlerts,
  type AlertConfig,
  type AlertRow,
  type PublishedEvent,
} from '@greenfin/workflows';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Principal } from '../../http/context.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type { AlertJson, AlertListInput } from './alerts.schemas.js';

export interface AlertsServiceOptions {
  pool: Pool;
  config: AlertConfig;
  /** Publishes `alert.raised` (the webhook notifier). */
  publish?: (event: PublishedEvent) => Promise<unknown>;
  /** Where background evaluation failures are reported (they never fail the ingest). */
  onError?: (error: unknown) => void;
}

/** A tenant's alerts. */
export class AlertsService {
  constructor(private readonly options: AlertsServiceOptions) {}

  /** Companies waiting for an evaluation, and the one running (one at a time per process). */
  readonly #pending = new Map<string, { organizationId: string; companyId: string }>();
  #running: Promise<void> | null = null;

  /**
   * Evaluates one company's rules after an ingest, in the background: the ingest does not wait
   * (evaluation reads all of the company's transactions), repeated requests for a company
   * coalesce into one evaluation, and failures are reported, never thrown.
   */
  evaluateCompany(organizationId: string, companyId: string): void {
    this.#pending.set(`${organizationId}:${companyId}`, { organizationId, companyId });
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves once no background evaluation is pending or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const next = this.#pending.entries().next();
      if (next.done) return;
      const [key, { organizationId, companyId }] = next.value;
      this.#pending.delete(key);
      try {
        await evaluateAlerts(
          {
            db: this.options.pool,
            config: this.options.config,
            ...(this.options.publish && { publish: this.options.publish }),
          },
          { organizationId, companyId },
        );
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  async list(
    actor: Principal,
    query: AlertListInput,
  ): Promise<{ items: AlertJson[]; nextCursor: string | null }> {
    const values: unknown[] = [actor.organizationId];
    const where = [`"organization_id" = $1`];
    const add = (column: string, value: unknown) => {
      values.push(value);
      where.push(`"${column}" = $${values.length}`);
    };
    if (query.status) add('status', query.status);
    if (query.companyId) add('company_id', query.companyId);
    if (query.rule) add('rule', query.rule);
    if (query.cursor) {
      const [time, id] = decodeCursor(query.cursor, 2);
      values.push(new Date(Number(time)), String(id));
      where.push(`("raised_at", "id") < ($${values.length - 1}, $${values.length}::uuid)`);
    }
    values.push(query.limit + 1);
    const { rows } = await this.options.pool.query<AlertRow>(
      `select * from "alerts" where ${where.join(' and ')} order by "raised_at" desc, "id" desc limit $${values.length}`,
      values,
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(alertJson),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor([last.raised_at.getTime(), last.id]) : null,
    };
  }

  /**
   * Acknowledges an open alert (idempotent: an acknowledged or resolved one is returned as it is).
   * An acknowledged alert stays active — its condition raises no new alert — until an evaluation
   * finds the condition cleared and resolves it.
   */
  async acknowledge(em: EntityManager, actor: Principal, id: string): Promise<AlertJson> {
    const { rows } = await this.options.pool.query<AlertRow>(
      `update "alerts" set "status" = 'acknowledged', "acknowledged_at" = now(), "acknowledged_by" = $3
       where "organization_id" = $1 and "id" = $2 and "status" = 'open' returning *`,
      [actor.organizationId, id, actor.id],
    );
    let row = rows[0];
    if (row) {
      recordAudit(em, actor, 'alert.acknowledge', { type: 'alert', id }, { rule: row.rule });
      await em.flush();
    } else {
      const existing = await this.options.pool.query<AlertRow>(
        `select * from "alerts" where "organization_id" = $1 and "id" = $2`,
        [actor.organizationId, id],
      );
      row = existing.rows[0];
      if (!row) throw problems.notFound(`Alert ${id}`);
    }
    return alertJson(row);
  }
}
