/**
 * `npm run demo`: the EcoTech Manufacturing Ltd lender journey, computed by @greenfin/core alone —
 * green score with every component explained, the price with its green discount, the first
 * instalments, the APR, the interest saved, the CO2 the project saves and the emissions financed.
 */
import { ecotechExample as eco, ecotechJourney, toDecimalString, type CurrencyCode } from '../src/index.js';

const gbp = (amount: number, currency: CurrencyCode = 'GBP') =>
  `£${toDecimalString({ amount, currency }).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const pct = (rate: number, digits = 2) => `${(rate * 100).toFixed(digits)} %`;
const line = (title: string) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 72 - title.length))}`);

console.log(`${eco.company.name} — ${eco.company.locality}, SIC ${eco.company.sicCodes.join(', ')}`);
console.log(
  `Applies for ${gbp(eco.loan.principal.amount)} over ${eco.loan.termMonths / 12} years to expand its factory.`,
);

line('1. Green score');
const { score, priced, co2: saved, financed } = ecotechJourney();
console.log(
  `Score ${score.score}/100, band ${score.band}, confidence ${score.confidence.toFixed(2)} (${score.methodologyVersion})`,
);
for (const c of score.components) {
  console.log(`  ${c.label.padEnd(34)} ${String(c.points).padStart(5)} / ${c.maxPoints}   ${c.explanation}`);
}
for (const w of score.warnings) console.log(`  ! ${w.message}`);

line('2. Price');
console.log(
  `Base rate ${pct(priced.baseRate)} + credit spread ${pct(priced.creditSpread)} − green discount ${(priced.greenDiscount.applied * 100).toFixed(2)} pp = ${pct(priced.finalRate)}`,
);
console.log(`  ${priced.greenDiscount.explanation}`);
console.log(
  `Monthly instalment ${gbp(priced.regularPayment)} (without the discount ${gbp(priced.withoutDiscount.regularPayment)})`,
);
console.log(
  `Total interest ${gbp(priced.totalInterest)}; interest saved by the discount ${gbp(priced.interestSaved)}`,
);
console.log(
  `APR ${pct(priced.apr)} (EU CCD Annex I, with the ${gbp(eco.loan.arrangementFee.amount)} arrangement fee; ${pct(priced.withoutDiscount.apr)} without the discount)`,
);

line('3. First instalments');
console.log('  #   date         payment       interest      principal     balance');
for (const r of priced.schedule.installments.slice(0, 6)) {
  console.log(
    `  ${String(r.number).padEnd(3)} ${r.date}   ${gbp(r.payment).padStart(11)}   ${gbp(r.interest).padStart(11)}   ${gbp(r.principal).padStart(11)}   ${gbp(r.balance).padStart(12)}`,
  );
}
const last = priced.schedule.installments.at(-1)!;
console.log(
  `  …   ${last.date}   ${gbp(last.payment).padStart(11)}   ${gbp(last.interest).padStart(11)}   ${gbp(last.principal).padStart(11)}   ${gbp(last.balance).padStart(12)}`,
);

line('4. CO2 saved by the project');
for (const b of saved.breakdown) {
  console.log(
    `  ${b.source.padEnd(12)} ${b.mwhPerYear} MWh/yr × ${b.kgCo2ePerKwh} kgCO2e/kWh = ${b.tco2ePerYear} tCO2e/yr`,
  );
}
console.log(
  `  ${saved.tco2ePerYear} tCO2e a year, ${saved.totalTco2e} tCO2e over ${saved.lifetimeYears} years (DESNZ ${saved.factorYear} factors)`,
);

line('5. Financed emissions (PCAF)');
for (const y of financed.years) {
  console.log(
    `  ${y.year}: outstanding ${gbp(y.outstanding.amount).padStart(12)}, attribution ${(y.attributionFactor * 100).toFixed(1).padStart(5)} %, financed scope 1+2 ${y.financedScope1And2.toFixed(2)} tCO2e`,
  );
}
