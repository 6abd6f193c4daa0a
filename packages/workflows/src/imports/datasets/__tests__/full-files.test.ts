/**
 * The complete published files, streamed end to end: every data line is accounted for (accepted +
 * rejected = data lines, as counted by an independent line split) and the totals match the
 * SOURCE.md notes. Runs only where ../shared/data exists (development machines); a fresh clone or
 * CI without it skips, saying why.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planDataset } from '../plan-dataset.js';
import type { DatasetName } from '../types.js';
import { readAll } from './support.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = process.env['GREENFIN_SHARED_DATA'] ?? resolve(here, '../../../../../../../shared/data');
const hasData = existsSync(join(dataDir, 'ecb-eurofxref', 'eurofxref-hist.csv'));
const why = hasData
  ? ''
  : ` — SKIPPED: published datasets not found at ${dataDir} (set GREENFIN_SHARED_DATA)`;
if (!hasData) console.info(`full-files.test${why}`);

/** Non-empty physical lines after the header, counted without any CSV parser (none of these files has quoted line breaks). */
function nonEmptyLinesAfterHeader(path: string): number {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '').length;
}

const FILES: { dataset: DatasetName; path: string; variant: string; rows: number; rejects: number }[] = [
  {
    dataset: 'companies',
    path: 'companies-house-search-export/companies_incorporated_2025-01-01_to_07.csv',
    variant: 'companies',
    rows: 12_176,
    rejects: 0,
  },
  {
    dataset: 'eu-ets',
    path: 'eu-ets-installations/eutl_installations.csv',
    variant: 'eu-ets-installations',
    rows: 17_644,
    rejects: 0,
  },
  {
    dataset: 'eu-ets',
    path: 'eu-ets-installations/eutl_compliance_2013_2020.csv',
    variant: 'eu-ets-compliance',
    rows: 89_831,
    rejects: 0,
  },
  {
    dataset: 'emission-factors',
    path: 'uk-ghg-conversion-factors/ghg-conversion-factors-2025-flat-file.csv',
    variant: 'emission-factors',
    rows: 8_740,
    rejects: 0,
  },
  // 6,747 days; 210,545 published rates once the "N/A" cells are left out.
  {
    dataset: 'fx-rates',
    path: 'ecb-eurofxref/eurofxref-hist.csv',
    variant: 'fx-rates',
    rows: 210_545,
    rejects: 0,
  },
];

describe('full published files', () => {
  for (const f of FILES) {
    it.skipIf(!hasData)(
      `${f.path}: every data line accepted or rejected, totals as published${why}`,
      async () => {
        const path = join(dataDir, f.path);
        const dataLines = nonEmptyLinesAfterHeader(path);
        const plan = await planDataset(f.dataset, createReadStream(path));
        const read = await readAll(f.dataset, createReadStream(path), { batchSize: 5000 });
        expect(plan.dataLines).toBe(dataLines);
        expect(read.dataLines).toBe(dataLines);
        expect(read.variant).toBe(f.variant);
        expect(read.rows).toHaveLength(f.rows);
        expect(read.rejects).toHaveLength(f.rejects);
        const acceptedLines = new Set(read.rowLines).size;
        expect(acceptedLines + read.rejects.length).toBe(dataLines);
      },
      120_000,
    );
  }

  it.skipIf(!hasData)(
    `spot checks against SOURCE.md${why}`,
    async () => {
      const factors = await readAll(
        'emission-factors',
        createReadStream(
          join(dataDir, 'uk-ghg-conversion-factors/ghg-conversion-factors-2025-flat-file.csv'),
        ),
      );
      expect(factors.rows.filter((r) => r.factor === null)).toHaveLength(1_711);
      expect(factors.rows.find((r) => r.factorId === '7_400_4000_5_1')?.factor).toBe(0.177);
      const counts = new Map<string, number>();
      for (const r of factors.rows) counts.set(r.scope, (counts.get(r.scope) ?? 0) + 1);
      expect(Object.fromEntries(counts)).toEqual({
        'Scope 1': 3_059,
        'Scope 2': 392,
        'Scope 3': 5_231,
        'Outside of Scopes': 58,
      });

      const companies = await readAll(
        'companies',
        createReadStream(
          join(dataDir, 'companies-house-search-export/companies_incorporated_2025-01-01_to_07.csv'),
        ),
      );
      const statuses = new Map<string, number>();
      for (const r of companies.rows)
        statuses.set(r.registryStatus, (statuses.get(r.registryStatus) ?? 0) + 1);
      expect(Object.fromEntries(statuses)).toEqual({ Active: 12_149, Registered: 18, Open: 9 });
      expect(companies.rows.filter((r) => r.sicCodes.length === 0)).toHaveLength(85);

      const installations = await readAll(
        'eu-ets',
        createReadStream(join(dataDir, 'eu-ets-installations/eutl_installations.csv')),
      );
      const gb = installations.rows.filter(
        (r) => r.kind === 'installation' && r.installationId.startsWith('GB_'),
      );
      expect(gb).toHaveLength(2_027);
      expect(gb.filter((r) => r.kind === 'installation' && r.name !== null)).toHaveLength(1_483);
    },
    120_000,
  );
});
