import { etagOf } from '../../http/etag.js';
import {
  CreatedHeaders,
  ETagHeaders,
  IdParams,
  IfMatchHeaders,
  IfNoneMatchHeaders,
} from '../../http/schemas.js';
import { route } from '../../services.js';
import {
  CompanyListQuery,
  CompanyPage,
  CompanySchema,
  CreateCompanyBody,
  UpdateCompanyBody,
} from './companies.schemas.js';
import { toCompanyJson } from './companies.service.js';

const tags = ['companies'];

export const companiesRoutes = [
  route({
    operationId: 'createCompany',
    method: 'post',
    path: '/v1/companies',
    summary: 'Register a company',
    description: 'Jurisdiction + company number are unique within your organisation (409 otherwise).',
    tags,
    access: 'analyst',
    idempotent: true,
    request: { body: CreateCompanyBody },
    responses: { 201: { description: 'Created.', schema: CompanySchema, headers: CreatedHeaders } },
    handler: async ({ body }, { em, principal, services }) => {
      const company = await services.companies.create(em, principal, body);
      return {
        status: 201,
        headers: { Location: `/v1/companies/${company.id}`, ETag: etagOf(company.version) },
        body: toCompanyJson(company),
      };
    },
  }),
  route({
    operationId: 'listCompanies',
    method: 'get',
    path: '/v1/companies',
    summary: 'List companies (filters, sort, cursor pagination)',
    tags,
    access: 'viewer',
    request: { query: CompanyListQuery },
    responses: { 200: { description: 'A page of companies.', schema: CompanyPage } },
    handler: async ({ query }, { em, principal, services }) => ({
      status: 200,
      body: await services.companies.list(em, principal, query),
    }),
  }),
  route({
    operationId: 'getCompany',
    method: 'get',
    path: '/v1/companies/{id}',
    summary: 'Get a company',
    tags,
    access: 'viewer',
    request: { params: IdParams, headers: IfNoneMatchHeaders },
    responses: { 200: { description: 'The company.', schema: CompanySchema, headers: ETagHeaders } },
    handler: async ({ params }, { em, principal, services }) => {
      const company = await services.companies.get(em, principal, params.id);
      return { status: 200, headers: { ETag: etagOf(company.version) }, body: toCompanyJson(company) };
    },
  }),
  route({
    operationId: 'updateCompany',
    method: 'patch',
    path: '/v1/companies/{id}',
    summary: 'Change a company',
    description: 'Send `If-Match` with the ETag you read to avoid overwriting someone else’s change (412).',
    tags,
    access: 'analyst',
    problems: [409, 412, 422],
    request: { params: IdParams, headers: IfMatchHeaders, body: UpdateCompanyBody },
    responses: { 200: { description: 'The changed company.', schema: CompanySchema, headers: ETagHeaders } },
    handler: async ({ params, headers, body }, { em, principal, services }) => {
      const company = await services.companies.update(em, principal, params.id, body, headers['If-Match']);
      return { status: 200, headers: { ETag: etagOf(company.version) }, body: toCompanyJson(company) };
    },
  }),
  route({
    operationId: 'deleteCompany',
    method: 'delete',
    path: '/v1/companies/{id}',
    summary: 'Delete a company and its metrics',
    tags,
    access: 'admin',
    problems: [412],
    request: { params: IdParams, headers: IfMatchHeaders },
    responses: { 204: { description: 'Deleted.' } },
    handler: async ({ params, headers }, { em, principal, services }) => {
      await services.companies.delete(em, principal, params.id, headers['If-Match']);
      return { status: 204 };
    },
  }),
];
