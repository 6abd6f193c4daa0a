import { CASH_FLOW_GRADES, GRANULARITIES, type Granularity } from '@greenfin/core';
import {
  IsoDateSchema,
  MoneySchema,
  orNull,
  pageOf,
  PageQuery,
  text,
  Timestamp,
  Uuid,
} from '../../http/schemas.js';
import { z } from '../../http/zod.js';

/** Most transactions one `POST …/transactions` takes (larger statements: several batches, or an import). */
export const MAX_TRANSACTIONS_PER_BATCH = 5_000;

const Category = text(1, 100).openapi({ example: 'utilities' });

export const TransactionInputSchema = z
  .object({
    accountRef: text(1, 200).openapi({
      description: 'The account it was booked on (IBAN, sort code + number, an internal id).',
      example: 'GB29NWBK60161331926819',
    }),
    bookingDate: IsoDateSchema,
    amount: MoneySchema.openapi({
      description: 'Signed: positive = money in (inflow), negative = money out (outflow).',
    }),
    description: text(0, 1000).default('').openapi({ example: 'DD OCTOPUS ENERGY LTD' }),
    counterparty: text(0, 300).optional().openapi({ example: 'Octopus Energy' }),
    category: Category.optional().openapi({
      description:
        'The bank’s own category, kept only when no categorisation rule matches (source `import`).',
    }),
    balanceAfter: MoneySchema.optional().openapi({
      description: 'The account’s balance right after this transaction, when the bank states it.',
    }),
  })
  .strict()
  .openapi('TransactionInput');

export const IngestTransactionsBody = z
  .object({
    transactions: z
      .array(TransactionInputSchema)
      .min(1)
      .max(MAX_TRANSACTIONS_PER_BATCH)
      .openapi({
        description: `1–${MAX_TRANSACTIONS_PER_BATCH} transactions, in the bank’s order, all in one currency. Send whole days: identical transactions of a day are told apart by their rank in the batch.`,
      }),
  })
  .openapi('IngestTransactionsRequest');

export const IngestTransactionsResultSchema = z
  .object({
    received: z.number().int(),
    inserted: z.number().int().openapi({ description: 'Rows stored now.' }),
    duplicates: z.number().int().openapi({
      description: 'Rows already stored (same de-duplication hash for this company): ignored.',
    }),
    categorisedByRules: z.number().int().openapi({ description: 'Inserted rows a rule categorised.' }),
    accountRefs: z.array(z.string()),
  })
  .openapi('IngestTransactionsResult');

export const CategorySourceSchema = z.enum(['manual', 'rule', 'import']);

export const TransactionSchema = z
  .object({
    id: Uuid,
    companyId: Uuid,
    accountRef: z.string(),
    bookingDate: z.string().openapi({ format: 'date' }),
    amount: MoneySchema,
    description: z.string(),
    counterparty: z.string().nullable(),
    category: z.string().nullable(),
    categorySource: z.union([CategorySourceSchema, z.null()]).openapi({
      description: '`manual` (a person; rules never overwrite it), `rule` or `import` (the bank’s).',
    }),
    categoryRuleId: Uuid.nullable(),
    balanceAfter: orNull(MoneySchema),
    source: z.enum(['api', 'import']),
    importId: Uuid.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Transaction');

export const TransactionPage = pageOf(TransactionSchema, 'TransactionPage');

export const TransactionListQuery = PageQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: 'Page size (1–500).' }),
  from: IsoDateSchema.optional().openapi({ description: 'First booking date (inclusive).' }),
  to: IsoDateSchema.optional().openapi({ description: 'Last booking date (inclusive).' }),
  category: Category.optional(),
  accountRef: text(1, 200).optional(),
});

export const TransactionParams = z.object({ id: Uuid, txId: Uuid });

export const PatchTransactionBody = z
  .object({
    category: orNull(Category).openapi({
      description:
        'A category set by a person (`categorySource: manual`, never overwritten by rules); null clears it, and the rules categorise the transaction again.',
    }),
  })
  .strict()
  .openapi('PatchTransactionRequest');

export type TransactionJson = z.input<typeof TransactionSchema>;
export type TransactionListInput = z.output<typeof TransactionListQuery>;
export type IngestTransactionsInput = z.output<typeof IngestTransactionsBody>;

// ---------------------------------------------------------------------------------------------
// Category rules
// ---------------------------------------------------------------------------------------------

const ruleFields = {
  field: z.enum(['description', 'counterparty']).openapi({ description: 'Which text the rule reads.' }),
  match: z.enum(['keyword', 'regex']).openapi({
    description:
      '`keyword`: whole consecutive words of the normalised text; `regex`: a JavaScript regular expression (flags `iu`).',
  }),
  pattern: text(1, 500).openapi({ example: 'octopus energy' }),
  amountSign: z.enum(['inflow', 'outflow', 'any']).openapi({ description: 'Default `any`.' }),
  category: Category,
  priority: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .openapi({ description: 'Higher runs first; ties by id. Default 0.' }),
};

export const CreateCategoryRuleBody = z
  .object({
    ...ruleFields,
    amountSign: ruleFields.amountSign.default('any'),
    priority: ruleFields.priority.default(0),
  })
  .strict()
  .openapi('CreateCategoryRuleRequest');

export const PatchCategoryRuleBody = z
  .object({
    field: ruleFields.field.optional(),
    match: ruleFields.match.optional(),
    pattern: ruleFields.pattern.optional(),
    amountSign: ruleFields.amountSign.optional(),
    category: ruleFields.category.optional(),
    priority: ruleFields.priority.optional(),
  })
  .strict()
  .openapi('PatchCategoryRuleRequest');

export const CategoryRuleSchema = z
  .object({
    id: Uuid,
    field: ruleFields.field,
    match: ruleFields.match,
    pattern: z.string(),
    amountSign: ruleFields.amountSign,
    category: z.string(),
    priority: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('CategoryRule');

export const CategoryRulePage = pageOf(CategoryRuleSchema, 'CategoryRulePage');
export const CategoryRuleListQuery = PageQuery;

export type CategoryRuleJson = z.input<typeof CategoryRuleSchema>;
export type CreateCategoryRuleInput = z.output<typeof CreateCategoryRuleBody>;
export type PatchCategoryRuleInput = z.output<typeof PatchCategoryRuleBody>;

// ---------------------------------------------------------------------------------------------
// Cash-flow analytics
// ---------------------------------------------------------------------------------------------

export const CashFlowQuery = z.object({
  from: IsoDateSchema.optional().openapi({
    description: 'First day (inclusive); default the first booking date.',
  }),
  to: IsoDateSchema.optional().openapi({
    description: 'Last day (inclusive); default the last booking date.',
  }),
  granularity: z
    .enum(GRANULARITIES as [Granularity, ...Granularity[]])
    .default('month')
    .openapi({ description: 'Calendar `month`, calendar `quarter` or ISO `week`.' }),
});

const Money = MoneySchema;

export const CashFlowSchema = z
  .object({
    companyId: Uuid,
    currency: z.string(),
    from: z.string().openapi({ format: 'date' }),
    to: z.string().openapi({ format: 'date' }),
    granularity: z.enum(GRANULARITIES as [Granularity, ...Granularity[]]),
    periods: z.array(
      z.object({
        start: z.string().openapi({ format: 'date' }),
        end: z.string().openapi({ format: 'date' }),
        inflow: Money,
        outflow: Money.openapi({ description: 'Signed (≤ 0).' }),
        net: Money,
        closingBalance: orNull(Money).openapi({
          description: 'Combined balance at the end of the period; null when an account states none.',
        }),
        transactionCount: z.number().int(),
      }),
    ),
    totals: z.object({ inflow: Money, outflow: Money, net: Money, transactionCount: z.number().int() }),
    days: z.number().int(),
    months: z.number(),
    averageMonthlyNet: Money,
    averageMonthlyNetOperatingCashFlow: Money,
    nonOperatingCategories: z.array(z.string()),
    burnRate: Money.openapi({ description: 'Money consumed a month when net is negative; 0 otherwise.' }),
    volatility: z.object({
      meanNet: Money,
      standardDeviation: orNull(Money),
      coefficientOfVariation: z.number().nullable(),
    }),
    topCounterparties: z.array(
      z.object({
        counterparty: z.string(),
        inflow: Money,
        outflow: Money,
        volume: Money,
        transactionCount: z.number().int(),
      }),
    ),
    categoryBreakdown: z.array(
      z.object({
        category: z.string().nullable(),
        inflow: Money,
        outflow: Money,
        net: Money,
        transactionCount: z.number().int(),
      }),
    ),
    seasonality: z.array(
      z.object({
        month: z.number().int(),
        observations: z.number().int(),
        averageNet: orNull(Money),
        deviationFromMean: orNull(Money),
        ratioToMean: z.number().nullable(),
      }),
    ),
    latestClosingBalance: orNull(Money),
    averageDailyOutflow: Money,
    daysCashOnHand: z.number().nullable(),
    computedAt: Timestamp,
  })
  .openapi('CashFlowAnalytics', {
    description: 'Computed by @greenfin/core `cashFlowAnalytics` (docs/methodology/cash-flow.md).',
  });

export type CashFlowJson = z.input<typeof CashFlowSchema>;

export const CashFlowGradeSchema = z.enum(CASH_FLOW_GRADES as unknown as [string, ...string[]]);
