/**
 * `eu-ets`: both real EUTL shapes (told apart by header), the `variant` option, and a header that
 * fits neither.
 */
import { describe, expect, it } from 'vitest';
import { DatasetError, DatasetHeaderError } from '../errors.js';
import { readDataset } from '../read-dataset.js';
import { chunked, fixtureBytes, fixtureStream, readAll, reasons } from './support.js';

describe('eu-ets dataset', () => {
  it('detects the installations file and reads the real sample (100 installations)', async () => {
    const read = await readAll('eu-ets', fixtureStream('eutl-installations-sample.csv'));
    expect(read.variant).toBe('eu-ets-installations');
    expect(read.rejects).toEqual([]);
    expect(read.rows).toHaveLength(100);
    // Sample line 2.
    expect(read.rows[0]).toEqual({
      kind: 'installation',
      installationId: 'AT_214400',
      name: 'Boehringer Ingelheim Wien',
      address: 'Dr Boehringer-Gasse 5-11',
      postalCode: '1120',
      city: 'Wien',
      countryCode: 'AT',
      latitude: 48.170815,
      longitude: 16.318575,
    });
    // Sample line 3: "AT_201018,,-,-,-,AT,," — no name, "-" for unknown address parts.
    expect(read.rows[1]).toEqual({
      kind: 'installation',
      installationId: 'AT_201018',
      name: null,
      address: null,
      postalCode: null,
      city: null,
      countryCode: 'AT',
      latitude: null,
      longitude: null,
    });
  });

  it('detects the compliance file and reads the real sample (200 installation-years, CRLF)', async () => {
    const read = await readAll('eu-ets', fixtureStream('eutl-compliance-sample.csv'));
    expect(read.variant).toBe('eu-ets-compliance');
    expect(read.rejects).toEqual([]);
    expect(read.rows).toHaveLength(200);
    expect(read.rowLines.at(-1)).toBe(201);
    // Sample lines 2 and 3.
    expect(read.rows.slice(0, 2)).toEqual([
      {
        kind: 'verified-emissions',
        installationId: 'AT_214400',
        year: 2020,
        freeAllocation: 0,
        verifiedEmissions: 17731,
      },
      {
        kind: 'verified-emissions',
        installationId: 'AT_201018',
        year: 2013,
        freeAllocation: 7802,
        verifiedEmissions: 16656,
      },
    ]);
  });

  it('validates ids, years, allowances and coordinates', async () => {
    const csv = [
      'installation_id,year,free,emission',
      'DE_1,2019,100,250.5',
      'de 1,2004,-1,-3',
      'DE_2,2020,1.5,',
      'DE_1,2019,1,1',
    ].join('\n');
    const read = await readAll('eu-ets', chunked(csv));
    expect(read.rows).toEqual([
      {
        kind: 'verified-emissions',
        installationId: 'DE_1',
        year: 2019,
        freeAllocation: 100,
        verifiedEmissions: 250.5,
      },
    ]);
    expect(reasons(read.rejects)).toEqual([
      [
        3,
        'installation_id: must be an EUTL installation id like "DE_1234", got "de 1"; year: must be an integer between 2005 and 2100, got "2004"; free: must be a whole number of allowances ≥ 0, got "-1"; emission: must be tonnes CO2e ≥ 0, got "-3"',
      ],
      [4, 'free: must be a whole number of allowances ≥ 0, got "1.5"'],
      [5, 'duplicate: line 2 already has emissions/DE_1/2019 (installation_id, year); the first line wins'],
    ]);
    const installations = await readAll(
      'eu-ets',
      chunked('id,name,country_id,latitudegoogle,longitudegoogle\nFR_9,Usine,fr,91,0\nFR_10,,FRA,,\n'),
    );
    expect(reasons(installations.rejects)).toEqual([
      [2, 'latitudegoogle: must be a number between -90 and 90, got "91"'],
      [3, 'country_id: must be a 2-letter country code, got "FRA"'],
    ]);
  });

  it('names what each variant lacks when the header fits neither, before any row', async () => {
    const error = await readDataset('eu-ets', fixtureStream('eu-ets-unknown-header.csv'))
      .next()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetHeaderError);
    expect((error as Error).message).toBe(
      'eu-ets: the header matches no variant: eu-ets-compliance lacks "installation_id", "year", "free", "emission"; eu-ets-installations lacks "id", "name", "country_id"',
    );
  });

  it('with the variant option, holds the file to that variant only', async () => {
    const forced = readDataset('eu-ets', chunked(fixtureBytes('eutl-compliance-sample.csv')), {
      variant: 'eu-ets-installations',
    });
    await expect(forced.next()).rejects.toThrow(
      'eu-ets: missing required columns "id", "name", "country_id"',
    );
    const unknown = readDataset('eu-ets', chunked(fixtureBytes('eutl-compliance-sample.csv')), {
      variant: 'eu-ets-aviation',
    });
    await expect(unknown.next()).rejects.toBeInstanceOf(DatasetError);
  });
});
