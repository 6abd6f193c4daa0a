/**
 * The shape of a green-score result: the score, its band, every component with the value and
 * benchmark it came from, the confidence, the warnings, and the inputs the score used.
 */
import type { CurrencyCode } from '../money.js';
import type { EmissionsTarget } from './input.js';
import type { GreenScoreComponentGroup, GreenScoreComponentId } from './methodology.js';
import type { SicSection } from './sic.js';

/** Score bands, best first: A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E below. */
export type GreenScoreBand = 'A' | 'B' | 'C' | 'D' | 'E';

/** What a component's value was compared with. */
export interface ComponentBenchmark {
  readonly value: number;
  readonly unit: string;
  /** Citation of the reference (dataset, standard or pledge). */
  readonly source: string;
  /** For sector benchmarks: the SIC key that matched, its level and title, and whether it was the caller's. */
  readonly sector?: {
    readonly sic: string;
    readonly level: 'section' | 'division' | 'group' | 'class' | 'subclass';
    readonly title?: string;
    readonly fromCaller: boolean;
  };
  /** How a derived benchmark value was obtained. */
  readonly derivation?: string;
  /** The benchmark as published, before currency conversion. */
  readonly original?: { readonly value: number; readonly unit: string };
  /** The exchange rate used to express the benchmark in the company's currency. */
  readonly fx?: {
    readonly from: CurrencyCode;
    readonly to: CurrencyCode;
    /** Units of `to` per 1 `from`. */
    readonly rate: number;
    readonly year: number;
    readonly source: string;
  };
}

/** One scored component. `points` is rounded to 0.1 and the components' points sum to the score. */
export interface GreenScoreComponent {
  readonly id: GreenScoreComponentId;
  readonly group: GreenScoreComponentGroup;
  readonly label: string;
  readonly points: number;
  readonly maxPoints: number;
  /** The measured value the points came from; null when it could not be measured. */
  readonly value: number | null;
  readonly unit: string;
  readonly benchmark: ComponentBenchmark | null;
  /** One or two sentences a credit committee can read: value, reference, mapping, points. */
  readonly explanation: string;
}

/** Stable warning codes: consumers switch on these, never on messages. */
export type GreenScoreWarningCode =
  | 'no_metrics'
  | 'metrics_after_as_of_year'
  | 'stale_metrics'
  | 'missing_sic_code'
  | 'no_sector_benchmark'
  | 'fx_rate_unavailable'
  | 'missing_emissions'
  | 'missing_revenue'
  | 'zero_revenue'
  | 'missing_prior_year'
  | 'missing_base_year'
  | 'missing_energy'
  | 'missing_renewable_share'
  | 'missing_pcaf_score'
  | 'missing_verification'
  | 'scope3_not_reported'
  | 'missing_target'
  | 'no_target'
  | 'target_expired'
  | 'target_partial_scope';

/** Something that lowered the score's completeness or that a reader should know. */
export interface GreenScoreWarning {
  readonly code: GreenScoreWarningCode;
  readonly message: string;
  /** The component it affected, if one. */
  readonly component?: GreenScoreComponentId;
}

/** What the score was computed from. */
export interface GreenScoreInputsUsed {
  /** The SIC code taken as the main activity (the first given). */
  readonly sicCode: string | null;
  readonly section: SicSection | null;
  readonly division: string | null;
  /** Latest reporting year used (≤ `asOfYear` when given). */
  readonly latestYear: number | null;
  /** The year before it, when reported (year-on-year trend). */
  readonly priorYear: number | null;
  /** Two years before it, when reported (multi-year trends). */
  readonly baseYear: number | null;
  /** Reporting years ignored because they are after `asOfYear`. */
  readonly yearsIgnored: readonly number[];
  readonly asOfYear: number | null;
  /** Currency of the latest year's revenue. */
  readonly currency: CurrencyCode | null;
  /** The FX table used for currency conversion. */
  readonly fxRates: { readonly base: CurrencyCode; readonly year: number; readonly source: string };
  readonly target: EmissionsTarget | null;
}

/** The result of `greenScore`. */
export interface GreenScoreResult {
  /** 0–100, one decimal: the sum of the components' points. */
  readonly score: number;
  readonly band: GreenScoreBand;
  readonly components: readonly GreenScoreComponent[];
  /** 0–1: share of the methodology's inputs present, discounted for data quality and staleness. */
  readonly confidence: number;
  readonly warnings: readonly GreenScoreWarning[];
  readonly methodologyVersion: 'gs-2026.1';
  readonly inputs: GreenScoreInputsUsed;
}
