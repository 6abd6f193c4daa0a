/**
 * Test helpers: the EcoTech example as a green-score input, and small builders.
 */
import { ecotechExample } from '../../examples/index.js';
import type { EnvironmentalMetrics, GreenScoreInput } from '../input.js';
import type { GreenScoreComponentId } from '../methodology.js';
import type { GreenScoreResult } from '../types.js';

/** The lender-journey company as `greenScore` input (a deep, mutable copy). */
export function ecotech(): {
  sicCodes: string[];
  metrics: EnvironmentalMetrics[];
  target: GreenScoreInput['target'];
} {
  return {
    sicCodes: [...ecotechExample.company.sicCodes],
    metrics: ecotechExample.metrics.map((m) => ({ ...m, revenue: { ...m.revenue } })),
    target: { ...ecotechExample.target },
  };
}

/** The component of a result by id (throws if absent, so a test cannot pass on undefined). */
export function component(result: GreenScoreResult, id: GreenScoreComponentId) {
  const c = result.components.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id}`);
  return c;
}

/** Warning codes of a result. */
export function warningCodes(result: GreenScoreResult): string[] {
  return result.warnings.map((w) => w.code);
}
