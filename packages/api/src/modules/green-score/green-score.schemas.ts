import { GREEN_SCORE_COMPONENTS } from '@greenfin/core';
import { orNull, Timestamp, Uuid } from '../../http/schemas.js';
import { z } from '../../http/zod.js';

const Band = z.enum(['A', 'B', 'C', 'D', 'E']).openapi('GreenScoreBand', {
  description: 'A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E below.',
});

const BenchmarkSchema = z
  .object({
    value: z.number(),
    unit: z.string(),
    source: z.string().openapi({ description: 'Citation of the reference (dataset, standard or pledge).' }),
    sector: z
      .object({
        sic: z.string(),
        level: z.enum(['section', 'division', 'group', 'class', 'subclass']),
        title: z.string().optional(),
        fromCaller: z.boolean(),
      })
      .optional(),
    derivation: z.string().optional(),
    original: z.object({ value: z.number(), unit: z.string() }).optional(),
    fx: z
      .object({
        from: z.string(),
        to: z.string(),
        rate: z.number(),
        year: z.number().int(),
        source: z.string(),
      })
      .optional(),
  })
  .openapi('GreenScoreBenchmark', { description: 'What a component’s value was compared with.' });

const ComponentSchema = z
  .object({
    id: z.string().openapi({ example: 'carbon-intensity' }),
    group: z.string(),
    label: z.string(),
    points: z.number(),
    maxPoints: z.number(),
    value: z
      .number()
      .nullable()
      .openapi({ description: 'The measured value; null when it could not be measured.' }),
    unit: z.string(),
    benchmark: orNull(BenchmarkSchema),
    explanation: z.string().openapi({
      description: 'Value, reference, mapping and points, in words a credit committee can read.',
    }),
  })
  .openapi('GreenScoreComponent');

export const GreenScoreWarningSchema = z
  .object({
    code: z.string().openapi({ example: 'missing_target', description: 'Stable code; switch on it.' }),
    message: z.string(),
    component: z.string().optional(),
  })
  .openapi('GreenScoreWarning');

const CoreTargetSchema = z.object({
  baseYear: z.number().int(),
  targetYear: z.number().int(),
  reduction: z.number(),
  scopes: z.string(),
  validated: z.boolean(),
});

export const GreenScoreSchema = z
  .object({
    companyId: Uuid,
    score: z.number().min(0).max(100).openapi({ example: 85, description: '0–100, one decimal.' }),
    band: Band,
    components: z.array(ComponentSchema).openapi({
      description: `The methodology's components, in order: ${GREEN_SCORE_COMPONENTS.map((c) => c.id).join(', ')}.`,
    }),
    confidence: z
      .number()
      .min(0)
      .max(1)
      .openapi({ description: 'Share of the inputs present, discounted for data quality and staleness.' }),
    warnings: z.array(GreenScoreWarningSchema),
    methodologyVersion: z.string().openapi({ example: 'gs-2026.1' }),
    inputs: z
      .object({
        sicCode: z.string().nullable(),
        section: z.string().nullable(),
        division: z.string().nullable(),
        latestYear: z.number().int().nullable(),
        priorYear: z.number().int().nullable(),
        baseYear: z.number().int().nullable(),
        yearsIgnored: z.array(z.number().int()),
        asOfYear: z.number().int().nullable(),
        currency: z.string().nullable(),
        fxRates: z.object({ base: z.string(), year: z.number().int(), source: z.string() }),
        target: CoreTargetSchema.nullable(),
      })
      .openapi({ description: 'What the score was computed from.' }),
    computedAt: Timestamp.openapi({
      description: 'When core computed this score (earlier than now when cached).',
    }),
  })
  .openapi('GreenScore');

export const GreenScoreQuery = z.object({
  asOfYear: z.coerce.number().int().min(1900).max(2200).optional().openapi({
    description:
      'Score as at this year: later reporting years are ignored and stale data lowers confidence. Default: as at the latest reporting year.',
  }),
});

export const CacheHeaders = z.object({
  'X-Cache': z.enum(['hit', 'miss']).openapi({ description: 'Whether the score came from the cache.' }),
});

export type GreenScoreJson = z.input<typeof GreenScoreSchema>;
