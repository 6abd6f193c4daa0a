/**
 * The EcoTech lender journey computed end to end by core — one place for the demo, the PDF report
 * fixture and anyone who wants a realistic, fully computed example.
 */
import { co2Savings, type Co2SavingsResult } from '../emissions/co2-savings.js';
import { financedEmissions, type FinancedEmissionsResult } from '../emissions/financed-emissions.js';
import { yearEndOutstanding } from '../emissions/year-end-outstanding.js';
import { greenScore } from '../green-score/green-score.js';
import type { GreenScoreResult } from '../green-score/types.js';
import { priceLoan, type PricedLoan } from '../pricing/price-loan.js';
import { ecotechExample as eco } from './ecotech-data.js';

export interface EcotechJourney {
  readonly score: GreenScoreResult;
  readonly priced: PricedLoan;
  readonly co2: Co2SavingsResult;
  readonly financed: FinancedEmissionsResult;
}

/**
 * Scores EcoTech, prices its £500,000 5-year loan with the arrangement fee, and estimates the CO2
 * its project saves and the emissions the loan finances (year-end balances, latest metrics).
 *
 * @example ecotechJourney().priced.finalRate // 0.065
 */
export function ecotechJourney(): EcotechJourney {
  const score = greenScore({ sicCodes: eco.company.sicCodes, metrics: eco.metrics, target: eco.target });
  const priced = priceLoan({
    principal: eco.loan.principal.amount,
    currency: eco.loan.principal.currency,
    termMonths: eco.loan.termMonths,
    startDate: eco.loan.startDate,
    baseRate: eco.loan.baseRate,
    creditSpread: eco.loan.creditSpread,
    greenScore: score,
    fees: { upfront: eco.loan.arrangementFee.amount },
  });
  const co2 = co2Savings({ energySaved: eco.project.energySaved, lifetimeYears: eco.project.lifetimeYears });
  const latest = eco.metrics.at(-1)!;
  const financed = financedEmissions({
    balances: yearEndOutstanding({
      principal: eco.loan.principal,
      startDate: eco.loan.startDate,
      installments: priced.schedule.installments,
    }),
    companyValue: { basis: 'equity-plus-debt', equity: eco.balanceSheet.equity, debt: eco.balanceSheet.debt },
    emissions: {
      scope1Tco2e: latest.scope1Tco2e,
      scope2Tco2e: latest.scope2Tco2e,
      dataQuality: latest.pcafDataQuality,
    },
  });
  return { score, priced, co2, financed };
}
