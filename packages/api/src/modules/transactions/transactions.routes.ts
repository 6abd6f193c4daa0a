import { IdParams } from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { route } from '../../services.js';
import { startJob } from '../operations/jobs.js';
import { AcceptedHeaders, JobIdempotencyHeaders, OperationSchema } from '../operations/operations.schemas.js';
import { acceptedOperation } from '../operations/operations.views.js';
import { CacheHeaders } from '../green-score/green-score.schemas.js';
import {
  CashFlowQuery,
  CashFlowSchema,
  CategoryRuleListQuery,
  CategoryRulePage,
  CategoryRuleSchema,
  CreateCategoryRuleBody,
  IngestTransactionsBody,
  IngestTransactionsResultSchema,
  MAX_TRANSACTIONS_PER_BATCH,
  PatchCategoryRuleBody,
  PatchTransactionBody,
  TransactionListQuery,
  TransactionPage,
  TransactionParams,
  TransactionSchema,
} from './transactions.schemas.js';
import { toCategoryRuleJson, toTransactionJson } from './transactions.views.js';

const tags = ['cash flow'];

export const transactionsRoutes = [
  route({
    operationId: 'ingestTransactions',
    method: 'post',
    path: '/v1/companies/{id}/transactions',
    summary: 'Add a batch of bank transactions',
    description: `Up to ${MAX_TRANSACTIONS_PER_BATCH} transactions in one currency (body up to BULK_BODY_LIMIT_BYTES). Each is de-duplicated by a SHA-256 hash of account + date + currency + amount + normalised description + its rank among identical transactions of that day, unique per company: sending the same batch again adds nothing (\`duplicates\` counts the rows already stored). The tenant’s categorisation rules are applied; the company’s cached cash-flow analytics are dropped and its alerts evaluated.`,
    tags,
    access: 'analyst',
    bodyLimit: 'bulk',
    problems: [422],
    request: { params: IdParams, body: IngestTransactionsBody },
    responses: { 200: { description: 'What was stored.', schema: IngestTransactionsResultSchema } },
    handler: async ({ params, body }, { em, principal, services }) => {
      const result = await services.transactions.ingest(em, principal, params.id, body);
      return {
        status: 200,
        body: {
          received: body.transactions.length,
          inserted: result.inserted,
          duplicates: result.duplicates,
          categorisedByRules: result.categorisedByRules,
          accountRefs: result.accountRefs,
        },
      };
    },
  }),
  route({
    operationId: 'listTransactions',
    method: 'get',
    path: '/v1/companies/{id}/transactions',
    summary: 'List a company’s transactions by booking date',
    tags,
    access: 'viewer',
    request: { params: IdParams, query: TransactionListQuery },
    responses: { 200: { description: 'One page.', schema: TransactionPage } },
    handler: async ({ params, query }, { em, principal, services }) => {
      const page = await services.transactions.list(em, principal, params.id, query);
      return { status: 200, body: { items: page.items.map(toTransactionJson), nextCursor: page.nextCursor } };
    },
  }),
  route({
    operationId: 'updateTransaction',
    method: 'patch',
    path: '/v1/companies/{id}/transactions/{txId}',
    summary: 'Set or clear a transaction’s manual category',
    description:
      'A category set here has `categorySource: manual`: rules never overwrite it. `category: null` hands the transaction back to the rules.',
    tags,
    access: 'analyst',
    request: { params: TransactionParams, body: PatchTransactionBody },
    responses: { 200: { description: 'The transaction.', schema: TransactionSchema } },
    handler: async ({ params, body }, { em, principal, services }) => {
      const t = await services.transactions.setCategory(em, principal, params.id, params.txId, body.category);
      return { status: 200, body: toTransactionJson(t) };
    },
  }),
  route({
    operationId: 'recategoriseTransactions',
    method: 'post',
    path: '/v1/companies/{id}/transactions:recategorise',
    summary: 'Re-apply the categorisation rules to a company’s transactions',
    description:
      'Starts a `recategorisation` job that applies your current rules to every transaction of the company whose category was not set by hand (manual categories are never touched), with progress; the company’s cached cash-flow analytics are dropped. Answers 202 with the operation.',
    tags,
    access: 'analyst',
    request: { params: IdParams, headers: JobIdempotencyHeaders },
    responses: { 202: { description: 'Started.', schema: OperationSchema, headers: AcceptedHeaders } },
    handler: async ({ params, headers }, { em, principal, services }) => {
      await services.companies.get(em, principal, params.id);
      return acceptedOperation(
        await startJob(
          services.jobs,
          principal,
          'recategorisation',
          { companyId: params.id },
          headers['Idempotency-Key'],
        ),
      );
    },
  }),
  route({
    operationId: 'getCashFlow',
    method: 'get',
    path: '/v1/companies/{id}/cash-flow',
    summary: 'Cash-flow analytics of a company’s transactions',
    description:
      'Inflow, outflow, net and closing balance per period; burn rate, volatility, top counterparties, categories, seasonality and days of cash on hand — computed by @greenfin/core `cashFlowAnalytics` (docs/methodology/cash-flow.md). Cached until the company’s transactions or their categories change; `X-Cache` says whether this answer came from the cache.',
    tags,
    access: 'viewer',
    problems: [422],
    request: { params: IdParams, query: CashFlowQuery },
    responses: { 200: { description: 'The analytics.', schema: CashFlowSchema, headers: CacheHeaders } },
    handler: async ({ params, query }, { em, principal, services }) => {
      const { result, cached } = await services.cashFlow.get(em, principal, params.id, query);
      return { status: 200, headers: { 'X-Cache': cached ? 'hit' : 'miss' }, body: result };
    },
  }),
  route({
    operationId: 'createCategoryRule',
    method: 'post',
    path: '/v1/category-rules',
    summary: 'Add a categorisation rule',
    description:
      'Rules run highest priority first (ties by id); the first that matches sets the category. Applied to every transaction ingested from now on; `POST /v1/companies/{id}/transactions:recategorise` re-applies them to stored ones.',
    tags,
    access: 'analyst',
    problems: [422],
    request: { body: CreateCategoryRuleBody },
    responses: {
      201: {
        description: 'Created.',
        schema: CategoryRuleSchema,
        headers: z.object({ Location: z.string() }),
      },
    },
    handler: async ({ body }, { em, principal, services }) => {
      const rule = await services.categoryRules.create(em, principal, body);
      return {
        status: 201,
        headers: { Location: `/v1/category-rules/${rule.id}` },
        body: toCategoryRuleJson(rule),
      };
    },
  }),
  route({
    operationId: 'applyCategoryRules',
    method: 'post',
    path: '/v1/category-rules:apply',
    summary: 'Re-apply the categorisation rules to every company’s transactions',
    description:
      'The `recategorisation` job for all of your companies (manual categories are never touched). Answers 202 with the operation.',
    tags,
    access: 'analyst',
    request: { headers: JobIdempotencyHeaders },
    responses: { 202: { description: 'Started.', schema: OperationSchema, headers: AcceptedHeaders } },
    handler: async ({ headers }, { principal, services }) =>
      acceptedOperation(
        await startJob(
          services.jobs,
          principal,
          'recategorisation',
          { companyId: null },
          headers['Idempotency-Key'],
        ),
      ),
  }),
  route({
    operationId: 'listCategoryRules',
    method: 'get',
    path: '/v1/category-rules',
    summary: 'List categorisation rules in the order they apply',
    tags,
    access: 'viewer',
    request: { query: CategoryRuleListQuery },
    responses: { 200: { description: 'One page.', schema: CategoryRulePage } },
    handler: async ({ query }, { principal, services }) => {
      const page = await services.categoryRules.list(principal, query);
      return {
        status: 200,
        body: { items: page.items.map(toCategoryRuleJson), nextCursor: page.nextCursor },
      };
    },
  }),
  route({
    operationId: 'getCategoryRule',
    method: 'get',
    path: '/v1/category-rules/{id}',
    summary: 'Get a categorisation rule',
    tags,
    access: 'viewer',
    request: { params: IdParams },
    responses: { 200: { description: 'The rule.', schema: CategoryRuleSchema } },
    handler: async ({ params }, { principal, services }) => ({
      status: 200,
      body: toCategoryRuleJson(await services.categoryRules.get(principal, params.id)),
    }),
  }),
  route({
    operationId: 'updateCategoryRule',
    method: 'patch',
    path: '/v1/category-rules/{id}',
    summary: 'Change a categorisation rule',
    tags,
    access: 'analyst',
    problems: [422],
    request: { params: IdParams, body: PatchCategoryRuleBody },
    responses: { 200: { description: 'The rule.', schema: CategoryRuleSchema } },
    handler: async ({ params, body }, { em, principal, services }) => ({
      status: 200,
      body: toCategoryRuleJson(await services.categoryRules.update(em, principal, params.id, body)),
    }),
  }),
  route({
    operationId: 'deleteCategoryRule',
    method: 'delete',
    path: '/v1/category-rules/{id}',
    summary: 'Delete a categorisation rule',
    description: 'Categories it set stay until the next recategorisation.',
    tags,
    access: 'admin',
    request: { params: IdParams },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params }, { em, principal, services }) => {
      await services.categoryRules.delete(em, principal, params.id);
      return { status: 204 };
    },
  }),
];
