import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RegistryRequestError } from '../errors.js';
import { createOpenCorporatesClient, mapOpenCorporatesStatus } from '../opencorporates.js';
import type { OfficialCompanyStatus, RegistryClient, RegistryResult } from '../record.js';
import {
  registryFixture,
  sendJson,
  startFakeRegistryServer,
  type FakeRegistryServer,
} from './fake-registry-server.js';

const API_TOKEN = 'oc-test-token-93b7e1';
const RESPONSE = registryFixture('opencorporates/company-gb-08957400.json') as {
  results: { company: Record<string, unknown> };
};
const COMPANY = RESPONSE.results.company;

let server: FakeRegistryServer;
let client: RegistryClient;

beforeAll(async () => {
  server = await startFakeRegistryServer();
  client = createOpenCorporatesClient({
    apiToken: API_TOKEN,
    baseUrl: `${server.baseUrl}/v0.4`,
    timeoutMs: 2_000,
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function serveCompany(company: Record<string, unknown>): void {
  server.handle((_request, response) => sendJson(response, 200, { ...RESPONSE, results: { company } }));
}

function expectFound(result: RegistryResult) {
  if (result.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(result)}`);
  return result.record;
}

describe('OpenCorporates client — found', () => {
  it('maps every field of a v0.4 company response', async () => {
    server.handle((_request, response) => sendJson(response, 200, RESPONSE));
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record).toEqual({
      jurisdiction: 'gb',
      companyNumber: '08957400',
      name: 'CANDOUR GROUP LIMITED',
      status: 'active',
      incorporationDate: '2014-03-25',
      // The NACE code in the same list is another scheme and must be ignored.
      sicCodes: ['68100'],
      registeredAddress: {
        lines: ['Victoria Court', '17-21 Ashford Road'],
        locality: 'Maidstone',
        region: 'Kent',
        postalCode: 'ME14 5DA',
        country: 'England',
      },
      source: 'opencorporates',
      fetchedFrom: `${server.baseUrl}/v0.4/companies/gb/08957400`,
      raw: RESPONSE,
    });
  });

  it('sends the token as the api_token query parameter, and keeps it out of fetchedFrom', async () => {
    server.handle((_request, response) => sendJson(response, 200, RESPONSE));
    const record = expectFound(await client.fetchCompany('GB', '8957400'));
    const [request] = server.requests;
    const sent = new URL(request?.url ?? '', server.baseUrl);
    expect(sent.pathname).toBe('/v0.4/companies/gb/08957400');
    expect(sent.searchParams.get('api_token')).toBe(API_TOKEN);
    expect(record.fetchedFrom).not.toContain(API_TOKEN);
    expect(record.fetchedFrom).not.toContain('api_token');
  });

  it('sends no api_token parameter when no token is configured', async () => {
    const anonymous = createOpenCorporatesClient({ baseUrl: server.baseUrl });
    server.handle((_request, response) => sendJson(response, 200, RESPONSE));
    await anonymous.fetchCompany('gb', '08957400');
    expect(server.requests[0]?.url).toBe('/companies/gb/08957400');
  });

  it('keeps non-UK company numbers as given and encodes them in the path', async () => {
    server.handle((_request, response) =>
      sendJson(response, 200, {
        results: {
          company: {
            ...COMPANY,
            jurisdiction_code: 'us_de',
            company_number: '4483789 A/B',
            industry_codes: [],
          },
        },
      }),
    );
    const record = expectFound(await client.fetchCompany('us_de', '4483789 A/B'));
    expect(server.requests[0]?.url).toMatch(/^\/v0\.4\/companies\/us_de\/4483789%20A%2FB\?/);
    expect(record).toMatchObject({ jurisdiction: 'us_de', companyNumber: '4483789 A/B', sicCodes: [] });
  });

  it('falls back to registered_address_in_full and tolerates null optional fields', async () => {
    serveCompany({
      ...COMPANY,
      registered_address: null,
      registered_address_in_full: '1 Main Street, Springfield, 12345',
      industry_codes: null,
      incorporation_date: null,
    });
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record.registeredAddress).toEqual({ lines: ['1 Main Street', 'Springfield', '12345'] });
    expect(record.sicCodes).toEqual([]);
    expect(record.incorporationDate).toBeNull();
  });

  it('de-duplicates SIC codes and keeps their order', async () => {
    const sic = (code: string) => ({
      industry_code: { code, code_scheme_id: 'uk_sic_2007', description: null },
    });
    serveCompany({ ...COMPANY, industry_codes: [sic('27520'), sic('68100'), sic('27520')] });
    expect(expectFound(await client.fetchCompany('gb', '08957400')).sicCodes).toEqual(['27520', '68100']);
  });
});

describe('OpenCorporates client — malformed bodies and bad input', () => {
  it.each([
    ['a missing company name', { ...COMPANY, name: undefined }, ['results.company.name: Required']],
    [
      'wrong types',
      { ...COMPANY, inactive: 'no', industry_codes: [{ industry_code: { code: 68100 } }] },
      [
        'results.company.inactive: Expected boolean, received string',
        'results.company.industry_codes.0.industry_code.code: Expected string, received number',
      ],
    ],
    [
      'a non-ISO incorporation date',
      { ...COMPANY, incorporation_date: '25/03/2014' },
      ['results.company.incorporation_date'],
    ],
  ])('reports %s with the offending paths', async (_name, company, expected) => {
    serveCompany(company);
    const result = await client.fetchCompany('gb', '08957400');
    expect(result.kind).toBe('malformed');
    const reason = result.kind === 'malformed' ? result.reason : '';
    expect(reason).toMatch(/^OpenCorporates response did not match the expected shape: /);
    for (const part of expected) expect(reason).toContain(part);
  });

  it('reports a body without results.company', async () => {
    server.handle((_request, response) => sendJson(response, 200, { api_version: '0.4.8', results: {} }));
    const result = await client.fetchCompany('gb', '08957400');
    expect(result).toEqual({
      kind: 'malformed',
      reason: 'OpenCorporates response did not match the expected shape: results.company: Required',
    });
  });

  it.each([
    ['jurisdiction', 'United Kingdom', '08957400'],
    ['jurisdiction', 'gb/../x', '08957400'],
    ['companyNumber', 'us_de', '   '],
    ['companyNumber', 'gb', 'not-a-number'],
  ])('refuses a bad %s without calling the registry', async (field, jurisdiction, number) => {
    const error = await client.fetchCompany(jurisdiction, number).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryRequestError);
    expect(error).toMatchObject({ field });
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});

describe('OpenCorporates status mapping', () => {
  const table: [string, OfficialCompanyStatus][] = [
    ['Active', 'active'],
    ['Live', 'active'],
    ['Good Standing', 'active'],
    ['Registered', 'active'],
    ['Active - Proposal to Strike off', 'active'],
    ['Dormant', 'dormant'],
    ['Active - Dormant', 'dormant'],
    ['Liquidation', 'liquidation'],
    ['In Liquidation', 'liquidation'],
    ['In Administration', 'liquidation'],
    ['Receivership Action', 'liquidation'],
    ['Voluntary Arrangement', 'liquidation'],
    ['Insolvency Proceedings', 'liquidation'],
    ['Dissolved', 'dissolved'],
    ['Administratively Dissolved', 'dissolved'],
    ['Struck Off', 'dissolved'],
    ['Converted / Closed', 'dissolved'],
    ['Removed', 'dissolved'],
    ['Cancelled', 'dissolved'],
    ['Merged', 'dissolved'],
    ['Something New', 'unknown'],
  ];

  it.each(table)('maps %j to %s', async (currentStatus, expected) => {
    serveCompany({ ...COMPANY, current_status: currentStatus, inactive: null });
    expect(expectFound(await client.fetchCompany('gb', '08957400')).status).toBe(expected);
  });

  it('falls back to dissolution_date and inactive when the status wording is unknown or absent', () => {
    expect(mapOpenCorporatesStatus(undefined, { dissolutionDate: '2020-01-01' })).toBe('dissolved');
    expect(mapOpenCorporatesStatus('Unrecognised', { inactive: false })).toBe('active');
    expect(mapOpenCorporatesStatus(undefined, { inactive: true })).toBe('unknown');
    expect(mapOpenCorporatesStatus(undefined)).toBe('unknown');
    // The wording wins over the flags when it is recognised.
    expect(mapOpenCorporatesStatus('Liquidation', { inactive: false })).toBe('liquidation');
  });

  it('reports an active company with UK SIC 99999 as dormant, end to end', async () => {
    const sic = (code: string) => ({ industry_code: { code, code_scheme_id: 'uk_sic_2007' } });
    serveCompany({ ...COMPANY, industry_codes: [sic('99999')] });
    expect(expectFound(await client.fetchCompany('gb', '08957400')).status).toBe('dormant');
    expect(mapOpenCorporatesStatus('Dissolved', { sicCodes: ['99999'] })).toBe('dissolved');
  });
});
