import {
  DAY_COUNTS,
  type DayCount,
  ENERGY_SOURCES,
  type EnergySource,
  FREQUENCIES,
  type Frequency,
  MAX_LIFETIME_YEARS,
  REPAYMENT_METHODS,
  type RepaymentMethod,
} from '@greenfin/core';
import {
  IsoDateSchema,
  MoneySchema,
  orNull,
  pageOf,
  PageQuery,
  Timestamp,
  Uuid,
} from '../../http/schemas.js';
import { z } from '../../http/zod.js';

/** Longest loan the API prices, in months (core allows more; no SME loan runs past 50 years). */
export const MAX_SIMULATION_TERM_MONTHS = 600;

const Rate = (description: string, example: number) =>
  z.number().finite().gt(-1).lt(1).openapi({ description, example });
const Mwh = z.number().finite().min(0).max(1e9);
const EnergySourceSchema = z
  .enum(ENERGY_SOURCES as unknown as [EnergySource, ...EnergySource[]])
  .openapi('EnergySource', { description: 'Energy carrier with a DESNZ emission factor.' });
const MethodSchema = z.enum(REPAYMENT_METHODS as [RepaymentMethod, ...RepaymentMethod[]]);
const FrequencySchema = z.enum(FREQUENCIES as [Frequency, ...Frequency[]]);
const DayCountSchema = z.enum(DAY_COUNTS as [DayCount, ...DayCount[]]);
const AprMethodSchema = z.enum(['eu', 'us-actuarial']);

const EnergySavedLine = z.object({ source: EnergySourceSchema, mwhPerYear: Mwh.openapi({ example: 120 }) });

export const ProjectBody = z
  .object({
    energySaved: z
      .array(EnergySavedLine)
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Energy the financed project saves per year, by source.' }),
    energySavedMwhPerYear: Mwh.optional().openapi({
      description: 'Shorthand for one source: MWh saved per year (with `energySource`).',
      example: 380,
    }),
    energySource: EnergySourceSchema.optional().openapi({
      description: 'Source of `energySavedMwhPerYear` (default electricity).',
    }),
    lifetimeYears: z.number().int().min(1).max(MAX_LIFETIME_YEARS).openapi({ example: 10 }),
  })
  .superRefine((p, ctx) => {
    if (p.energySaved && p.energySavedMwhPerYear !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['energySavedMwhPerYear'],
        message: 'give either energySaved or energySavedMwhPerYear, not both',
      });
    }
    if (!p.energySaved && p.energySavedMwhPerYear === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['energySaved'],
        message: 'give energySaved or energySavedMwhPerYear',
      });
    }
    if (p.energySaved && p.energySource) {
      ctx.addIssue({
        code: 'custom',
        path: ['energySource'],
        message: 'goes with energySavedMwhPerYear; put each source in energySaved',
      });
    }
  })
  .openapi('LoanProject', {
    description:
      'The project the loan finances, for CO2 savings (core `co2Savings`, DESNZ factors): `energySaved` lines, or `energySavedMwhPerYear` + `energySource`.',
  });

/** Environmental metrics a sustainability-linked KPI can name (`scope1And2Tco2e` = scope 1 + scope 2). */
export const KPI_METRICS = [
  'energyMwh',
  'scope1Tco2e',
  'scope2Tco2e',
  'scope3Tco2e',
  'scope1And2Tco2e',
  'renewableShare',
] as const;

export const SustainabilityLinkedBody = z
  .object({
    kpis: z
      .array(
        z
          .object({
            id: z.string().min(1).max(100).openapi({ example: 'ghg-scope-1-2' }),
            metric: z.enum(KPI_METRICS).openapi({
              description: 'The company’s environmental metric the KPI is measured by.',
            }),
            direction: z.enum(['decrease', 'increase']).openapi({
              description: 'Which way is better (emissions `decrease`, renewable share `increase`).',
            }),
            targets: z
              .array(z.object({ year: z.number().int().min(1990).max(2100), value: z.number().finite() }))
              .min(1)
              .max(50)
              .openapi({ description: 'Sustainability performance target per reporting year.' }),
          })
          .strict(),
      )
      .min(1)
      .max(10)
      .superRefine((kpis, ctx) => {
        const seen = new Set<string>();
        kpis.forEach((k, i) => {
          if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'is used twice' });
          seen.add(k.id);
        });
      }),
  })
  .strict()
  .openapi('SustainabilityLinkedTerms', {
    description:
      'KPI targets of a sustainability-linked loan (LMA Sustainability-Linked Loan Principles). Alert `sustainability-kpi-missed` fires when the company’s reported metric for a target year misses it.',
  });

export const CreateLoanSimulationBody = z
  .object({
    companyId: Uuid.openapi({ description: 'The borrower, a company of your organisation.' }),
    principal: MoneySchema,
    termMonths: z
      .number()
      .int()
      .min(1)
      .max(MAX_SIMULATION_TERM_MONTHS)
      .openapi({ example: 60, description: 'A whole number of repayment periods.' }),
    method: MethodSchema.optional().openapi({ description: 'Default annuity.' }),
    frequency: FrequencySchema.optional().openapi({ description: 'Default monthly.' }),
    dayCount: DayCountSchema.optional().openapi({ description: 'Default 30/360.' }),
    startDate: IsoDateSchema.optional().openapi({ description: 'Drawdown date; default today (UTC).' }),
    baseRate: Rate(
      'Reference rate; default the configured one (Bank of England Bank Rate).',
      0.0375,
    ).optional(),
    creditSpread: Rate('The lender’s margin; default the configured one (2.50 %).', 0.025).optional(),
    fees: z
      .object({
        upfront: MoneySchema.optional().openapi({ description: 'Arrangement fee, deducted at drawdown.' }),
        perPayment: MoneySchema.optional().openapi({ description: 'Fee added to every instalment.' }),
      })
      .optional()
      .openapi({ description: 'Fees in the principal’s currency; they count in the APR.' }),
    aprMethod: AprMethodSchema.optional().openapi({
      description: 'EU CCD Annex I / UK CONC App 1 (`eu`, default) or US Regulation Z Appendix J.',
    }),
    project: ProjectBody.optional(),
    sustainabilityLinked: SustainabilityLinkedBody.optional(),
    existingDebtService: MoneySchema.optional().openapi({
      description:
        'The borrower’s other debt service a month (existing loans, leases), in the principal’s currency: counted with this loan’s payment in the cash-flow DSCR. Default none.',
    }),
  })
  .openapi('CreateLoanSimulationRequest');

const MoneyOut = MoneySchema;

const ScoreSnapshotSchema = z
  .object({
    score: z.number(),
    band: z.enum(['A', 'B', 'C', 'D', 'E']),
    confidence: z.number(),
    methodologyVersion: z.string(),
    computedAt: Timestamp,
  })
  .openapi('GreenScoreSnapshot', { description: 'The green score the price used, as it was then.' });

const GreenDiscountSchema = z
  .object({
    band: z.union([z.enum(['A', 'B', 'C', 'D', 'E']), z.null()]),
    tableDiscount: z.number().openapi({ description: 'The policy’s discount for the band (fraction).' }),
    applied: z.number().openapi({ description: 'Discount taken off the rate (fraction).', example: 0.005 }),
    limitedBy: z.array(z.enum(['no-score', 'low-confidence', 'cap', 'rate-floor'])),
    explanation: z.string(),
  })
  .openapi('GreenDiscount');

const Co2SavingsSchema = z
  .object({
    factorYear: z.number().int().openapi({ description: 'DESNZ greenhouse gas conversion factors set.' }),
    lifetimeYears: z.number().int(),
    tco2ePerYear: z.number(),
    totalTco2e: z.number(),
    breakdown: z.array(
      z.object({
        source: EnergySourceSchema,
        mwhPerYear: z.number(),
        kgCo2ePerKwh: z.number(),
        tco2ePerYear: z.number(),
        totalTco2e: z.number(),
        factors: z.array(z.object({ value: z.number(), unit: z.string(), source: z.string() })),
      }),
    ),
    assumptions: z.array(z.string()),
  })
  .openapi('Co2Savings', { description: 'CO2e the financed project saves (core `co2Savings`).' });

const FinancedEmissionsSchema = z
  .object({
    method: z.string(),
    companyValueBasis: z.enum(['equity-plus-debt', 'evic']),
    companyValue: MoneyOut,
    emissionsYear: z
      .number()
      .int()
      .openapi({ description: 'Reporting year whose emissions are attributed.' }),
    emissions: z.object({
      scope1Tco2e: z.number(),
      scope2Tco2e: z.number(),
      scope3Tco2e: z.number().nullable(),
      pcafDataQuality: z.number().int(),
    }),
    yearEndOutstanding: z
      .array(z.object({ year: z.number().int(), date: z.string(), outstanding: MoneyOut }))
      .openapi({
        description: 'Principal owed at each year-end over the schedule (core `yearEndOutstanding`).',
      }),
    years: z.array(
      z.object({
        year: z.number().int(),
        outstanding: MoneyOut,
        attributionFactor: z.number(),
        attributionCapped: z.boolean(),
        financedScope1: z.number(),
        financedScope2: z.number(),
        financedScope1And2: z.number(),
        financedScope3: z.number().nullable(),
      }),
    ),
    totals: z.object({ financedScope1And2: z.number(), financedScope3: z.number().nullable() }),
    weightedDataQuality: z.object({ scope1And2: z.number().nullable(), scope3: z.number().nullable() }),
    warnings: z.array(z.string()),
  })
  .openapi('FinancedEmissions', {
    description:
      'PCAF Part A §5.2 financed emissions of the loan, year by year (core `financedEmissions`), tCO2e.',
  });

const CashFlowBlockSchema = z
  .object({
    spreadSource: z.enum(['cash-flow', 'caller']).openapi({
      description:
        '`cash-flow`: the grade set the spread; `caller`: the request’s explicit `creditSpread` won.',
    }),
    spreadApplied: z.number().openapi({ description: 'The credit spread the price used (fraction).' }),
    gradeSpread: z.number().openapi({ description: 'The spread the grade sets (fraction).' }),
    dscr: z
      .number()
      .openapi({ description: 'Average monthly net operating cash flow / monthly debt service.' }),
    grade: z.enum(['CF1', 'CF2', 'CF3', 'CF4', 'CF5']),
    dscrGrade: z
      .enum(['CF1', 'CF2', 'CF3', 'CF4', 'CF5'])
      .openapi({ description: 'The grade from DSCR alone.' }),
    notches: z.array(z.string()),
    referToUnderwriter: z.boolean(),
    window: z.object({
      from: z.string().openapi({ format: 'date' }),
      to: z.string().openapi({ format: 'date' }),
      months: z.number(),
    }),
    averageMonthlyNetOperatingCashFlow: MoneyOut,
    monthlyDebtService: MoneyOut.openapi({
      description: 'This loan’s monthly payment plus `existingDebtService`.',
    }),
    existingDebtService: MoneyOut.openapi({
      description:
        'The borrower’s other monthly debt service counted in the DSCR (zero when none was given).',
    }),
    daysCashOnHand: z.number().nullable(),
    coefficientOfVariation: z.number().nullable(),
    nonOperatingCategories: z.array(z.string()),
    thresholds: z.array(
      z.object({ grade: z.string(), minDscr: z.number().nullable(), creditSpread: z.number() }),
    ),
    explanation: z.string(),
  })
  .openapi('CashFlowUnderwriting', {
    description:
      'Cash-flow underwriting of the loan (core `creditSpreadFromCashFlow`, docs/methodology/cash-flow.md): DSCR over the last 12 complete months, the risk grade and the spread.',
  });

export const SimulationWarningSchema = z
  .object({ code: z.string().openapi({ example: 'no_balance_sheet' }), message: z.string() })
  .openapi('SimulationWarning');

export const LoanSimulationSchema = z
  .object({
    id: Uuid,
    companyId: Uuid,
    principal: MoneyOut,
    termMonths: z.number().int(),
    method: MethodSchema,
    frequency: FrequencySchema,
    dayCount: DayCountSchema,
    startDate: z.string().openapi({ format: 'date' }),
    baseRate: z.number(),
    creditSpread: z.number(),
    fees: z.object({ upfront: MoneyOut, perPayment: MoneyOut }),
    aprMethod: AprMethodSchema,
    defaultsApplied: z
      .array(z.string())
      .openapi({ description: 'Terms taken from defaults rather than the request.', example: ['startDate'] }),
    project: z
      .object({
        energySaved: z.array(z.object({ source: EnergySourceSchema, mwhPerYear: z.number() })),
        lifetimeYears: z.number().int(),
      })
      .nullable(),
    rateBeforeDiscount: z.number().openapi({ description: 'base rate + credit spread.' }),
    greenDiscount: GreenDiscountSchema,
    finalRate: z.number().openapi({ description: 'base rate + credit spread − green discount.' }),
    apr: z.number(),
    regularPayment: MoneyOut,
    totalInterest: MoneyOut,
    totalPayment: MoneyOut,
    totalFees: MoneyOut,
    totalCostOfCredit: MoneyOut,
    /** Interest without the green discount − with it. */
    interestSaved: MoneyOut,
    withoutDiscount: z.object({
      rate: z.number(),
      regularPayment: MoneyOut,
      totalInterest: MoneyOut,
      apr: z.number(),
    }),
    policy: z.object({
      discounts: z.object({ A: z.number(), B: z.number(), C: z.number(), D: z.number(), E: z.number() }),
      cap: z.number(),
      rateFloor: z.number(),
      minConfidence: z.number(),
    }),
    co2Savings: orNull(Co2SavingsSchema).openapi({ description: 'Null when no project was given.' }),
    financedEmissions: orNull(FinancedEmissionsSchema).openapi({
      description: 'Null (with a warning) when the company has no balance sheet or no scope 1+2 emissions.',
    }),
    greenScore: ScoreSnapshotSchema,
    cashFlow: orNull(CashFlowBlockSchema).openapi({
      description: 'Null when the company has no complete month of transactions (in the loan’s currency).',
    }),
    sustainabilityLinked: orNull(SustainabilityLinkedBody),
    methodologyVersion: z.string(),
    warnings: z.array(SimulationWarningSchema),
    createdBy: z.object({ kind: z.enum(['user', 'api-key']), id: Uuid }),
    idempotencyKey: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    links: z.object({ self: z.string(), schedule: z.string(), report: z.string() }),
  })
  .openapi('LoanSimulation');

export const LoanSimulationPage = pageOf(LoanSimulationSchema, 'LoanSimulationPage');

export const LOAN_SIMULATION_SORTS = ['-createdAt', 'createdAt'] as const;

export const LoanSimulationListQuery = PageQuery.extend({
  companyId: Uuid.optional(),
  band: z
    .enum(['A', 'B', 'C', 'D', 'E'])
    .optional()
    .openapi({ description: 'Band of the score the simulation used.' }),
  createdBy: Uuid.optional().openapi({ description: 'User or API key that created it.' }),
  sort: z
    .enum(LOAN_SIMULATION_SORTS)
    .default('-createdAt')
    .openapi({ description: 'Creation time; `-` for newest first (default).' }),
});

export const InstallmentSchema = z
  .object({
    number: z.number().int(),
    date: z.string().openapi({ format: 'date' }),
    days: z.number().int(),
    payment: MoneyOut,
    interest: MoneyOut,
    principal: MoneyOut,
    balance: MoneyOut,
  })
  .openapi('Installment');

export const ScheduleSchema = z
  .object({
    simulationId: Uuid,
    currency: z.string(),
    annualRate: z.number(),
    method: MethodSchema,
    frequency: FrequencySchema,
    dayCount: DayCountSchema,
    startDate: z.string().openapi({ format: 'date' }),
    installments: z.array(InstallmentSchema),
    totals: z.object({ payment: MoneyOut, interest: MoneyOut, principal: MoneyOut }),
  })
  .openapi('RepaymentSchedule');

export const ScheduleCsv = z.string().openapi({
  description:
    'RFC 4180 CSV with a header row: number,date,days,payment,interest,principal,balance,currency (amounts as decimal strings).',
  example:
    'number,date,days,payment,interest,principal,balance,currency\r\n1,2025-02-15,31,9495.37,2604.17,6891.20,493108.80,GBP\r\n',
});

export const ReportSchema = z
  .object({
    simulationId: Uuid,
    generatedAt: Timestamp,
    company: z.object({
      id: Uuid,
      name: z.string(),
      jurisdiction: z.string(),
      companyNumber: z.string(),
      sector: z.string().nullable(),
    }),
    loan: z.object({
      principal: MoneyOut,
      termMonths: z.number().int(),
      method: MethodSchema,
      frequency: FrequencySchema,
      startDate: z.string(),
      baseRate: z.number(),
      creditSpread: z.number(),
      finalRate: z.number(),
      apr: z.number(),
      regularPayment: MoneyOut,
      totalInterest: MoneyOut,
      totalCostOfCredit: MoneyOut,
    }),
    greenScore: ScoreSnapshotSchema,
    greenDiscount: GreenDiscountSchema.extend({ interestSaved: MoneyOut }),
    environmentalImpact: z.object({
      co2SavedTco2ePerYear: z.number().nullable(),
      co2SavedTotalTco2e: z.number().nullable(),
      financedScope1And2Tco2e: z
        .number()
        .nullable()
        .openapi({ description: 'Sum over the loan’s years of the financed scope 1+2 emissions.' }),
      pcafDataQuality: z.number().nullable(),
    }),
    summary: z
      .array(z.string())
      .openapi({ description: 'The decision in sentences, for a credit committee.' }),
    warnings: z.array(SimulationWarningSchema),
  })
  .openapi('LoanSimulationReport');

export type CreateLoanSimulationInput = z.output<typeof CreateLoanSimulationBody>;
export type LoanSimulationListInput = z.output<typeof LoanSimulationListQuery>;
export type LoanSimulationJson = z.input<typeof LoanSimulationSchema>;
export type ScheduleJson = z.input<typeof ScheduleSchema>;
export type ReportJson = z.input<typeof ReportSchema>;
