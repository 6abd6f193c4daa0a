import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  COMPANIES_HOUSE_STATUS_MAP,
  createCompaniesHouseClient,
  mapCompaniesHouseStatus,
} from '../companies-house.js';
import { RegistryConfigError, RegistryRequestError } from '../errors.js';
import type { OfficialCompanyStatus, RegistryClient, RegistryResult } from '../record.js';
import {
  registryFixture,
  sendJson,
  startFakeRegistryServer,
  type FakeRegistryServer,
} from './fake-registry-server.js';

const API_KEY = 'ch-test-key-6f1d2c';
const PROFILE_2024 = registryFixture('companies-house/company-08957400-2024.json') as Record<string, unknown>;
const PROFILE_2020 = registryFixture('companies-house/company-08957400-2020.json') as Record<string, unknown>;

let server: FakeRegistryServer;
let client: RegistryClient;

beforeAll(async () => {
  server = await startFakeRegistryServer();
  client = createCompaniesHouseClient({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 2_000 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function serveProfile(body: unknown, status = 200): void {
  server.handle((_request, response) => sendJson(response, status, body));
}

function expectFound(result: RegistryResult) {
  if (result.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(result)}`);
  return result.record;
}

describe('Companies House client — found', () => {
  it('maps every field of a real 2024 profile', async () => {
    serveProfile(PROFILE_2024);
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record).toEqual({
      jurisdiction: 'gb',
      companyNumber: '08957400',
      name: 'CANDOUR GROUP LIMITED',
      status: 'active',
      incorporationDate: '2014-03-25',
      sicCodes: ['68100'],
      registeredAddress: {
        lines: ['Victoria Court', '17-21 Ashford Road'],
        locality: 'Maidstone',
        region: 'Kent',
        postalCode: 'ME14 5DA',
        country: 'England',
      },
      source: 'companies-house',
      fetchedFrom: `${server.baseUrl}/company/08957400`,
      raw: PROFILE_2024,
    });
  });

  it('omits a null region and keeps a one-line address from the 2020 profile', async () => {
    serveProfile(PROFILE_2020);
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record.registeredAddress).toEqual({
      lines: ['71 New Dover Road'],
      locality: 'Canterbury',
      postalCode: 'CT1 3DZ',
      country: 'England',
    });
    expect(record.registeredAddress).not.toHaveProperty('region');
  });

  it('sends the API key as HTTP basic auth (key as user name, empty password) and asks for JSON', async () => {
    serveProfile(PROFILE_2024);
    await client.fetchCompany('gb', '08957400');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/company/08957400');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`);
    expect(request?.headers.accept).toBe('application/json');
  });

  it('restores the zero padding of company numbers and accepts GB in any case', async () => {
    serveProfile(PROFILE_2024);
    await client.fetchCompany('GB', ' 8957400 ');
    await client.fetchCompany('gb', 'sc12345');
    expect(server.requests.map((request) => request.url)).toEqual(['/company/08957400', '/company/SC012345']);
  });

  it('joins a house-number premises to the first street line, and maps PO boxes and care-of', async () => {
    serveProfile({
      ...PROFILE_2024,
      registered_office_address: {
        care_of: 'Smith & Co',
        po_box: '12',
        premises: '74 ',
        address_line_1: 'Lairgate',
        locality: 'Beverley',
        region: 'East Yorkshire',
        postal_code: 'HU17 8EU',
        country: 'United Kingdom',
      },
    });
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record.registeredAddress?.lines).toEqual(['c/o Smith & Co', 'PO Box 12', '74 Lairgate']);
  });

  it('maps absent optional fields to null or empty, not to failures', async () => {
    serveProfile({ company_number: '08957400', company_name: 'CANDOUR GROUP LIMITED', links: {} });
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record).toMatchObject({
      status: 'unknown',
      incorporationDate: null,
      sicCodes: [],
      registeredAddress: null,
    });
  });
});

describe('Companies House client — malformed bodies', () => {
  it.each([
    ['a missing company name', { ...PROFILE_2024, company_name: undefined }, ['company_name: Required']],
    [
      'wrong types',
      { ...PROFILE_2024, sic_codes: [68100], date_of_creation: 20140325 },
      ['sic_codes.0: Expected string, received number', 'date_of_creation: Expected string, received number'],
    ],
    [
      'an impossible date',
      { ...PROFILE_2024, date_of_creation: '2014-02-30' },
      ['date_of_creation: Expected an ISO date'],
    ],
    [
      'an address that is not an object',
      { ...PROFILE_2024, registered_office_address: 'Victoria Court' },
      ['registered_office_address: Expected object, received string'],
    ],
    ['a JSON array', [PROFILE_2024], ['(body): Expected object, received array']],
  ])('reports %s with the offending paths', async (_name, body, expected) => {
    serveProfile(body);
    const result = await client.fetchCompany('gb', '08957400');
    expect(result.kind).toBe('malformed');
    const reason = result.kind === 'malformed' ? result.reason : '';
    expect(reason).toMatch(/^Companies House response did not match the expected shape: /);
    for (const part of expected) expect(reason).toContain(part);
  });

  it('reports a 200 whose body is not JSON', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>maintenance</html>');
    });
    expect(await client.fetchCompany('gb', '08957400')).toEqual({
      kind: 'malformed',
      reason: 'Companies House answered 200 with a body that is not JSON (text/html)',
    });
  });
});

describe('Companies House client — input and configuration', () => {
  it('refuses a non-UK jurisdiction without calling the registry, naming the field', async () => {
    const error = await client.fetchCompany('us_de', '1234567').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryRequestError);
    expect(error).toMatchObject({ field: 'jurisdiction', retryable: false });
    expect((error as Error).message).toMatch(/^jurisdiction: Companies House holds only UK companies/);
    expect(server.requests).toHaveLength(0);
  });

  it.each(['', 'ABC', '123456789', '08957400/officers', 'SC-12345'])(
    'refuses the company number %j, naming the field',
    async (number) => {
      const error = await client.fetchCompany('gb', number).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryRequestError);
      expect(error).toMatchObject({ field: 'companyNumber' });
      expect(server.requests).toHaveLength(0);
    },
  );

  it('requires an API key and a valid base URL', () => {
    expect(() => createCompaniesHouseClient({ apiKey: '  ' })).toThrow(RegistryConfigError);
    expect(() => createCompaniesHouseClient({ apiKey: ' ' })).toThrow(/^apiKey: /);
    expect(() => createCompaniesHouseClient({ apiKey: API_KEY, baseUrl: 'ftp://example.org' })).toThrow(
      /^baseUrl: must be an http\(s\) URL/,
    );
    expect(() =>
      createCompaniesHouseClient({ apiKey: API_KEY, baseUrl: 'https://user:secret@example.org' }),
    ).toThrow(/^baseUrl: must not carry credentials/);
    expect(() => createCompaniesHouseClient({ apiKey: API_KEY, timeoutMs: 0 })).toThrow(/^timeoutMs: /);
  });
});

describe('Companies House status mapping', () => {
  const table: [string, OfficialCompanyStatus][] = [
    ['active', 'active'],
    ['open', 'active'],
    ['registered', 'active'],
    ['dissolved', 'dissolved'],
    ['converted-closed', 'dissolved'],
    ['closed', 'dissolved'],
    ['removed', 'dissolved'],
    ['liquidation', 'liquidation'],
    ['administration', 'liquidation'],
    ['receivership', 'liquidation'],
    ['voluntary-arrangement', 'liquidation'],
    ['insolvency-proceedings', 'liquidation'],
  ];

  it('covers every company_status of the Companies House specification', () => {
    expect(Object.keys(COMPANIES_HOUSE_STATUS_MAP).sort()).toEqual(table.map(([status]) => status).sort());
  });

  it.each(table)('maps %s to %s, end to end', async (companyStatus, expected) => {
    serveProfile({ ...PROFILE_2024, company_status: companyStatus });
    const record = expectFound(await client.fetchCompany('gb', '08957400'));
    expect(record.status).toBe(expected);
  });

  it('maps unknown, absent and non-CH statuses to unknown', () => {
    expect(mapCompaniesHouseStatus('some-future-status')).toBe('unknown');
    expect(mapCompaniesHouseStatus(undefined)).toBe('unknown');
    expect(mapCompaniesHouseStatus('constructor')).toBe('unknown');
  });

  it('reports an active company as dormant from dormant accounts or SIC 99999, and only when active', async () => {
    expect(mapCompaniesHouseStatus('active', { lastAccountsType: 'dormant' })).toBe('dormant');
    expect(mapCompaniesHouseStatus('active', { sicCodes: ['99999'] })).toBe('dormant');
    expect(
      mapCompaniesHouseStatus('active', { lastAccountsType: 'total-exemption-full', sicCodes: ['68100'] }),
    ).toBe('active');
    expect(mapCompaniesHouseStatus('dissolved', { lastAccountsType: 'dormant' })).toBe('dissolved');

    const accounts = PROFILE_2024.accounts as Record<string, unknown>;
    serveProfile({ ...PROFILE_2024, accounts: { ...accounts, last_accounts: { type: 'dormant' } } });
    expect(expectFound(await client.fetchCompany('gb', '08957400')).status).toBe('dormant');
  });
});
