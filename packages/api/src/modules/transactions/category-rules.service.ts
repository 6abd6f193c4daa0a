/**
 * A tenant's categorisation rules (`category_rules`): checked by core before they are stored (a
 * regular expression that does not compile is a 422 naming `pattern`), applied by the shared
 * writer on every ingest and re-applied by the recategorisation job.
 */
import { randomUUID } from 'node:crypto';
import { assertValidRule, ruleFromRow, type StoredCategoryRule } from '@greenfin/workflows';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import type { Principal } from '../../http/context.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { problems } from '../../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import type { CreateCategoryRuleInput, PatchCategoryRuleInput } from './transactions.schemas.js';

const COLUMNS = `"id", "organization_id", "field", "match", "pattern", "amount_sign", "category", "priority", "created_at", "updated_at"`;
type RuleRow = Parameters<typeof ruleFromRow>[0];

/** Categorisation rules of a tenant. */
export class CategoryRulesService {
  constructor(private readonly pool: Pool) {}

  async create(
    em: EntityManager,
    actor: Principal,
    input: CreateCategoryRuleInput,
  ): Promise<StoredCategoryRule> {
    const id = randomUUID();
    assertValidRule({ id, ...input });
    const { rows } = await this.pool.query<RuleRow>(
      `insert into "category_rules" ("id", "organization_id", "field", "match", "pattern", "amount_sign", "category", "priority")
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
      [
        id,
        actor.organizationId,
        input.field,
        input.match,
        input.pattern,
        input.amountSign,
        input.category,
        input.priority,
      ],
    );
    recordAudit(em, actor, 'category-rule.create', { type: 'category-rule', id }, { ...input });
    await em.flush();
    return ruleFromRow(rows[0]!);
  }

  async get(actor: Principal, id: string): Promise<StoredCategoryRule> {
    const { rows } = await this.pool.query<RuleRow>(
      `select ${COLUMNS} from "category_rules" where "organization_id" = $1 and "id" = $2`,
      [actor.organizationId, id],
    );
    if (!rows[0]) throw problems.notFound(`Category rule ${id}`);
    return ruleFromRow(rows[0]);
  }

  /** In the order they apply: priority descending, then id. */
  async list(actor: Principal, query: { limit: number; cursor?: string | undefined }) {
    const values: unknown[] = [actor.organizationId];
    let after = '';
    if (query.cursor) {
      const [priority, id] = decodeCursor(query.cursor, 2);
      values.push(Number(priority), String(id));
      after = ` and ("priority" < $2 or ("priority" = $2 and "id" > $3::uuid))`;
    }
    values.push(query.limit + 1);
    const { rows } = await this.pool.query<RuleRow>(
      `select ${COLUMNS} from "category_rules" where "organization_id" = $1${after}
       order by "priority" desc, "id" limit $${values.length}`,
      values,
    );
    const items = rows.slice(0, query.limit).map(ruleFromRow);
    const last = items.at(-1);
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.priority, last.id]) : null,
    };
  }

  async update(
    em: EntityManager,
    actor: Principal,
    id: string,
    input: PatchCategoryRuleInput,
  ): Promise<StoredCategoryRule> {
    const current = await this.get(actor, id);
    const next = {
      field: input.field ?? current.field,
      match: input.match ?? current.match,
      pattern: input.pattern ?? current.pattern,
      amountSign: input.amountSign ?? current.amountSign ?? 'any',
      category: input.category ?? current.category,
      priority: input.priority ?? current.priority,
    };
    assertValidRule({ id, ...next });
    const { rows } = await this.pool.query<RuleRow>(
      `update "category_rules" set "field" = $3, "match" = $4, "pattern" = $5, "amount_sign" = $6, "category" = $7,
         "priority" = $8, "updated_at" = now()
       where "organization_id" = $1 and "id" = $2 returning ${COLUMNS}`,
      [
        actor.organizationId,
        id,
        next.field,
        next.match,
        next.pattern,
        next.amountSign,
        next.category,
        next.priority,
      ],
    );
    if (!rows[0]) throw problems.notFound(`Category rule ${id}`);
    recordAudit(em, actor, 'category-rule.update', { type: 'category-rule', id }, { ...input });
    await em.flush();
    return ruleFromRow(rows[0]);
  }

  /** Deletes the rule; categories it set stay until the next recategorisation. */
  async delete(em: EntityManager, actor: Principal, id: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      `delete from "category_rules" where "organization_id" = $1 and "id" = $2`,
      [actor.organizationId, id],
    );
    if (!rowCount) throw problems.notFound(`Category rule ${id}`);
    recordAudit(em, actor, 'category-rule.delete', { type: 'category-rule', id });
    await em.flush();
  }
}
