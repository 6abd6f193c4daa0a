/**
 * `companies`: the real Companies House export sample, and a hand-made file with a BOM, CRLF and
 * bad values.
 */
import { describe, expect, it } from 'vitest';
import { DATASETS } from '../registry.js';
import { fixtureStream, readAll, reasons } from './support.js';

describe('companies dataset', () => {
  it('accepts every line of the real Companies House export sample (127 companies)', async () => {
    const read = await readAll('companies', fixtureStream('companies-house-export-sample.csv'));
    expect(read.rejects).toEqual([]);
    expect(read.rows).toHaveLength(127);
    expect(read.dataLines).toBe(127);
    expect(read.rowLines[0]).toBe(2);
    expect(read.rowLines.at(-1)).toBe(128);
    expect(new Set(read.rows.map((r) => r.companyNumber)).size).toBe(127);
  });

  it('maps real rows field by field (sample lines 2, 27, 122 and 128)', async () => {
    const read = await readAll('companies', fixtureStream('companies-house-export-sample.csv'));
    const byLine = (line: number) => read.rows[read.rowLines.indexOf(line)];
    // Line 2: an overseas entity — "Registered", no incorporation date (its registration date
    // stands in), SIC field " " (none).
    expect(byLine(2)).toEqual({
      jurisdiction: 'gb',
      companyNumber: 'OE033509',
      name: 'CONSTRUTION CONSULTANCY EXPERTS LTD',
      status: 'active',
      registryStatus: 'Registered',
      companyType: 'Overseas entity',
      incorporationDate: '2025-01-02',
      dissolutionDate: null,
      sicCodes: [],
      sector: null,
      registeredAddress: 'Bul. Illyantsi No 12, 3rd Floor P.K. 1220, Serdica Sofia Bulgaria',
      postalCode: null,
    });
    // Line 27: four SIC codes in one space-separated field; a London postcode at the end.
    expect(byLine(27)).toMatchObject({
      companyNumber: '16158140',
      status: 'active',
      incorporationDate: '2025-01-01',
      sicCodes: ['62012', '63120', '72190', '85320'],
      sector: 'J',
      postalCode: 'EC1N 8DX',
    });
    // Line 122: a UK establishment, status "Open".
    expect(byLine(122)).toMatchObject({
      companyNumber: 'BR027218',
      status: 'active',
      registryStatus: 'Open',
    });
    // Line 128: a community interest company.
    expect(byLine(128)).toMatchObject({
      name: 'O-ACES CIC',
      companyNumber: '16159623',
      sicCodes: ['59112', '85320', '86900', '88990'],
      sector: 'J',
      postalCode: 'HR5 3DJ',
    });
  });

  it('reads a BOM + CRLF file with a multi-line address, rejecting bad values with their lines', async () => {
    const read = await readAll('companies', fixtureStream('companies-bom-crlf.csv'));
    expect(read.rowLines).toEqual([2, 6, 7]);
    expect(read.rows[0]).toMatchObject({
      companyNumber: '01234567',
      name: 'ACME GREEN HEATING LTD',
      sicCodes: ['25210', '27520'],
      sector: 'C',
      registeredAddress: 'Unit 4, Green Street Birmingham B1 1AA England',
      postalCode: 'B1 1AA',
    });
    expect(read.rows[1]).toMatchObject({
      companyNumber: 'SC000001', // "SC1" padded back to the register's 8 characters
      status: 'dissolved',
      dissolutionDate: '2024-12-01',
      sicCodes: ['62012', '99999'],
    });
    expect(read.rows[2]).toMatchObject({ name: 'QUOTED "NAME" LTD', sicCodes: [], registeredAddress: null });
    expect(reasons(read.rejects)).toEqual([
      [
        4, // after the address spanning lines 2–3
        'nature_of_business: "2521" is not a 5-digit SIC 2007 code; nature_of_business: "99998" is not on the Companies House SIC 2007 list',
      ],
      [
        5,
        'company_status: is not a Companies House status we know (Active, Dissolved, Liquidation, …), got "Struck off"; incorporation_date: must be a calendar date YYYY-MM-DD or DD/MM/YYYY, got "2024-02-30"',
      ],
    ]);
    expect(read.rejects[0]?.raw).toMatchObject({
      company_name: 'BAD SIC LTD',
      incorporation_date: '05/03/2024',
    });
  });

  it('maps every Companies House status wording, and pads short numbers', () => {
    const bound = DATASETS.companies.variants[0]!.bindHeader(
      [
        'company_number',
        'company_name',
        'company_status',
        'incorporation_date',
        'nature_of_business',
        'registered_office_address',
      ],
      {},
    );
    if (!bound.ok) throw new Error('header should bind');
    const statusOf = (status: string, number = '123') => {
      // Values in the header's order: number, name, status, incorporation date, SIC, address.
      const result = bound.parseRow([number, 'X LTD', status, '31/12/1999', '', ''], 2);
      return result.ok
        ? [result.rows[0]!.status, result.rows[0]!.companyNumber, result.rows[0]!.incorporationDate]
        : result.reason;
    };
    expect(statusOf('Active - Proposal to Strike off')).toEqual(['active', '00000123', '1999-12-31']);
    expect(statusOf('In Administration')[0]).toBe('liquidation');
    expect(statusOf('voluntary-arrangement')[0]).toBe('liquidation');
    expect(statusOf('Converted / Closed')[0]).toBe('dissolved');
    expect(statusOf('Removed')[0]).toBe('dissolved');
    expect(statusOf('Active', 'ni 1234')[1]).toBe('NI001234');
    expect(statusOf('Active', '123456789')).toBe(
      'company_number: must be a Companies House number like "01234567" or "SC123456", got "123456789"',
    );
  });
});
