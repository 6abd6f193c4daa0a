import { etagOf } from '../../http/etag.js';
import {
  CreatedHeaders,
  ETagHeaders,
  IdParams,
  IfMatchHeaders,
  IfNoneMatchHeaders,
} from '../../http/schemas.js';
import { z } from '../../http/zod.js';
import { route } from '../../services.js';
import { AcceptedHeaders, OperationSchema } from '../operations/operations.schemas.js';
import { acceptedOperation } from '../operations/operations.views.js';
import {
  CreateLoanSimulationBody,
  LoanSimulationListQuery,
  LoanSimulationPage,
  LoanSimulationSchema,
  ReportSchema,
  ScheduleCsv,
  ScheduleSchema,
} from './loan-simulations.schemas.js';
import {
  simulationPath,
  toReportJson,
  toScheduleCsv,
  toScheduleJson,
  toSimulationJson,
} from './loan-simulations.views.js';

const tags = ['loan simulations'];
const CSV = 'text/csv';
const PDF = 'application/pdf';

/** A PDF document (bytes). */
const PdfSchema = z
  .custom<Buffer>((value) => Buffer.isBuffer(value), 'a PDF document')
  .openapi({ type: 'string', format: 'binary', description: 'The PDF report.' });

export const loanSimulationsRoutes = [
  route({
    operationId: 'createLoanSimulation',
    method: 'post',
    path: '/v1/loan-simulations',
    summary: 'Price a loan for a company, with its green discount',
    description:
      'Every figure comes from @greenfin/core: the company’s green score (`greenScore`, cached), the price and schedule (`priceLoan`: final rate = base + spread − green discount, APR, interest saved), the project’s CO2 savings (`co2Savings`) and PCAF financed emissions over the schedule (`yearEndOutstanding`, `financedEmissions`; null with a warning when the company has no balance sheet). Omitted terms take defaults, listed in `defaultsApplied`. A `companyId` outside your organisation is a 422 on `#/companyId`.',
    tags,
    access: 'analyst',
    idempotent: true,
    problems: [422],
    request: { body: CreateLoanSimulationBody },
    responses: { 201: { description: 'Created.', schema: LoanSimulationSchema, headers: CreatedHeaders } },
    handler: async ({ body }, hc) => {
      const { ctx, principal, services } = hc;
      const key = ctx.get('Idempotency-Key') || undefined;
      // The EntityManager is forked only if the company's score is not cached.
      const simulation = await services.loanSimulations.create(() => hc.em, principal, body, key);
      return {
        status: 201,
        headers: { Location: simulationPath(simulation.id), ETag: etagOf(simulation.version) },
        body: simulation.body,
      };
    },
  }),
  route({
    operationId: 'listLoanSimulations',
    method: 'get',
    path: '/v1/loan-simulations',
    summary: 'List loan simulations (filters, cursor pagination; newest first)',
    tags,
    access: 'viewer',
    request: { query: LoanSimulationListQuery },
    responses: { 200: { description: 'A page of simulations.', schema: LoanSimulationPage } },
    handler: async ({ query }, { em, principal, services }) => {
      const page = await services.loanSimulations.list(em, principal, query);
      return { status: 200, body: { items: page.items.map(toSimulationJson), nextCursor: page.nextCursor } };
    },
  }),
  route({
    operationId: 'getLoanSimulation',
    method: 'get',
    path: '/v1/loan-simulations/{id}',
    summary: 'Get a loan simulation',
    tags,
    access: 'viewer',
    request: { params: IdParams, headers: IfNoneMatchHeaders },
    responses: {
      200: { description: 'The simulation.', schema: LoanSimulationSchema, headers: ETagHeaders },
    },
    handler: async ({ params }, { em, principal, services }) => {
      const simulation = await services.loanSimulations.get(em, principal, params.id);
      return {
        status: 200,
        headers: { ETag: etagOf(simulation.version) },
        body: toSimulationJson(simulation),
      };
    },
  }),
  route({
    operationId: 'getLoanSimulationSchedule',
    method: 'get',
    path: '/v1/loan-simulations/{id}/schedule',
    summary: 'The repayment schedule, as JSON or CSV',
    description:
      'Content negotiation: `Accept: text/csv` gives CSV, otherwise JSON; any other type is a 406.',
    tags,
    access: 'viewer',
    produces: ['application/json', CSV],
    request: { params: IdParams },
    responses: {
      200: {
        description: 'Every instalment, with totals (JSON) or one CSV row each.',
        schema: ScheduleSchema,
        alternatives: { [CSV]: ScheduleCsv },
      },
    },
    handler: async ({ params }, { em, principal, services, mediaType }) => {
      const simulation = await services.loanSimulations.get(em, principal, params.id, true);
      if (mediaType === CSV) {
        return {
          status: 200,
          contentType: CSV,
          headers: { 'Content-Disposition': `attachment; filename="schedule-${simulation.id}.csv"` },
          body: toScheduleCsv(simulation),
        };
      }
      return { status: 200, body: toScheduleJson(simulation) };
    },
  }),
  route({
    operationId: 'getLoanSimulationReport',
    method: 'get',
    path: '/v1/loan-simulations/{id}/report',
    summary: 'The decision report: JSON summary or PDF',
    description:
      'By `Accept`: `application/json` (default) answers a JSON summary for a credit committee at once. `application/pdf` answers the PDF report when it has been rendered (200, `ETag` = its SHA-256); otherwise 202 with the operation that renders it (`Location`, `Retry-After`) — poll it, then ask again. Repeated requests while it renders join the same operation.',
    tags,
    access: 'viewer',
    produces: ['application/json', PDF],
    request: { params: IdParams, headers: IfNoneMatchHeaders },
    responses: {
      200: {
        description: 'The report.',
        schema: ReportSchema,
        alternatives: { [PDF]: PdfSchema },
        headers: ETagHeaders.partial(),
      },
      202: {
        description: 'The PDF is being rendered: poll the operation, then ask again.',
        schema: OperationSchema,
        headers: AcceptedHeaders,
      },
    },
    handler: async ({ params }, { em, principal, services, mediaType }) => {
      const simulation = await services.loanSimulations.get(em, principal, params.id);
      if (mediaType === PDF) {
        const report = await services.reports.published(principal.organizationId, simulation.id);
        if (!report) return acceptedOperation(await services.reports.render(principal, simulation.id));
        return {
          status: 200,
          contentType: PDF,
          headers: {
            ETag: `"${report.sha256}"`,
            'Content-Disposition': `inline; filename="loan-simulation-${simulation.id}.pdf"`,
          },
          body: report.content,
        };
      }
      const company = await services.loanSimulations.company(em, simulation);
      return { status: 200, body: toReportJson(simulation, company, services.clock()) };
    },
  }),
  route({
    operationId: 'deleteLoanSimulation',
    method: 'delete',
    path: '/v1/loan-simulations/{id}',
    summary: 'Delete a loan simulation',
    tags,
    access: 'admin',
    problems: [412],
    request: { params: IdParams, headers: IfMatchHeaders },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, headers }, { em, principal, services }) => {
      await services.loanSimulations.delete(em, principal, params.id, headers['If-Match']);
      await services.reports.deleteFor(principal.organizationId, params.id);
      return { status: 204 };
    },
  }),
];
