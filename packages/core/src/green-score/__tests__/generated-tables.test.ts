/**
 * The committed reference tables must be exactly what the generation script derives from the
 * published datasets. Runs only where the datasets are (../shared/data); a fresh clone skips it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SECTOR_FACTORS_PROVENANCE } from '../sector-benchmarks.generated.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const greenScoreDir = resolve(here, '..');
const dataDir = process.env['GREENFIN_SHARED_DATA'] ?? resolve(here, '../../../../../../shared/data');
const hasData = existsSync(join(dataDir, 'us-epa-useeio-supply-chain-factors'));

if (!hasData) {
  console.info(`generated-tables.test: skipped — published datasets not found at ${dataDir}`);
}

describe.skipIf(!hasData)('generated reference tables match the published datasets', () => {
  it('sector benchmarks, FX averages and SIC codes regenerate byte for byte', async () => {
    const { renderGeneratedFiles, GENERATED_FILES } =
      await import('../../../scripts/benchmarks/derive-sector-benchmarks.js');
    const files = await renderGeneratedFiles(dataDir, SECTOR_FACTORS_PROVENANCE.generatedOn);
    for (const key of Object.keys(GENERATED_FILES) as (keyof typeof GENERATED_FILES)[]) {
      const committed = readFileSync(join(greenScoreDir, GENERATED_FILES[key]), 'utf8');
      expect(files[key], GENERATED_FILES[key]).toBe(committed);
    }
  }, 60_000);

  it('division 25 is the median of its NAICS-6 factors read straight from the EPA file', async () => {
    const { parseCsv } = await import('../../../scripts/lib/read-csv.js');
    const { sicDivisionOfNaics } = await import('../../../scripts/benchmarks/naics-to-sic.js');
    const csv = readFileSync(
      join(
        dataDir,
        'us-epa-useeio-supply-chain-factors/SupplyChainGHGEmissionFactors_v1.3.0_NAICS_CO2e_USD2022.csv',
      ),
      'utf8',
    );
    const factors = parseCsv(csv)
      .slice(1)
      .filter((r) => sicDivisionOfNaics(r[0]!) === '25')
      .map((r) => Number(r[4]))
      .sort((a, b) => a - b);
    expect(factors).toHaveLength(32);
    // 32 values: the median is the mean of the 16th and 17th.
    expect((factors[15]! + factors[16]!) / 2).toBeCloseTo(0.234, 12);
  });
});
