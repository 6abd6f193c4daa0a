/**
 * `npm run bench`: throughput of @greenfin/core's hot paths, each printed beside baselines measured
 * in the same run on the same machine:
 *  - the bare float loop (no rounding, no rows, no dates) — the arithmetic ceiling;
 *  - the same schedule built row by row with @formulajs/formulajs PMT/IPMT/PPMT (Excel semantics).
 * Targets (issue 2): schedule within 10× of the bare loop and ≥ 20× faster than formulajs;
 * 100,000 green scores in under 1 s on one core.
 *
 * The ratios are what to read: the baselines run in the same process minutes apart, so machine
 * speed mostly cancels out. Mostly — the schedule allocates (a row object and a date string per
 * instalment) while the bare loop only does arithmetic, so memory contention from other processes
 * slows the schedule more than the baseline. The load average is printed before and after for that
 * reason: compare runs at similar load.
 */
import { availableParallelism, loadavg } from 'node:os';
import { IPMT, PMT, PPMT } from '@formulajs/formulajs';
import { Bench } from 'tinybench';
import { apr, ecotechExample, greenScore, priceLoan, schedule } from '../src/index.js';

const principal = 30_000_000; // £300,000 mortgage-sized loan, 30 years monthly
const annualRate = 0.0525;
const n = 360;
const monthly = annualRate / 12;

function bareLoop(): number {
  const r = monthly;
  const payment = (principal * r) / (1 - (1 + r) ** -n);
  let balance = principal;
  let interestSum = 0;
  for (let i = 0; i < n; i++) {
    const interest = balance * r;
    interestSum += interest;
    balance -= payment - interest;
  }
  return interestSum;
}

function formulajsSchedule(): unknown[] {
  const rows = [];
  const pv = principal / 100;
  const payment = PMT(monthly, n, -pv) as number;
  for (let k = 1; k <= n; k++) {
    rows.push({
      number: k,
      payment,
      interest: IPMT(monthly, k, n, -pv) as number,
      principal: PPMT(monthly, k, n, -pv) as number,
    });
  }
  return rows;
}

const ours = () =>
  schedule({
    principal,
    currency: 'GBP',
    annualRate,
    payments: n,
    frequency: 'monthly',
    startDate: '2025-01-15',
  });

// Exactness check before timing: our schedule repays exactly and agrees with formulajs's PMT.
const check = ours();
const repaid = check.installments.reduce((s, r) => s + r.principal, 0);
if (repaid !== principal) throw new Error(`schedule repaid ${repaid}, lent ${principal}`);
if (check.regularPayment !== Math.round((PMT(monthly, n, -principal / 100) as number) * 100)) {
  throw new Error('schedule payment differs from PMT');
}

const sixtyPayments = schedule({
  principal: 50_000_000,
  currency: 'GBP',
  annualRate: 0.065,
  payments: 60,
  startDate: '2025-01-15',
});
const aprInput = (method: 'eu' | 'us-actuarial') => ({
  method,
  advances: [{ amount: 49_750_000, date: '2025-01-15' }],
  payments: sixtyPayments.installments.map((r) => ({ amount: r.payment, date: r.date })),
});
const scoreInput = {
  sicCodes: [...ecotechExample.company.sicCodes],
  metrics: ecotechExample.metrics.map((m) => ({ ...m })),
  target: { ...ecotechExample.target },
};
const score = greenScore(scoreInput);

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (1 / 5 / 15 min) on ${availableParallelism()} cores`;
const loadBefore = load();

const bench = new Bench({ time: 600, warmupTime: 200 });
bench
  .add('baseline: bare float loop, 360 rows (no rounding, rows or dates)', bareLoop)
  .add('baseline: formulajs PMT/IPMT/PPMT, 360 rows', formulajsSchedule)
  .add('schedule(): 360-payment monthly annuity, rows + dates, exact', ours)
  .add('apr(): 60 payments, EU Annex I', () => apr(aprInput('eu')))
  .add('apr(): 60 payments, US Reg Z App. J', () => apr(aprInput('us-actuarial')))
  .add('greenScore(): EcoTech, 3 years', () => greenScore(scoreInput))
  .add('priceLoan(): £500k 5y, discount, 2 schedules + APR', () =>
    priceLoan({
      principal: 50_000_000,
      currency: 'GBP',
      termMonths: 60,
      startDate: '2025-01-15',
      baseRate: 0.045,
      creditSpread: 0.025,
      greenScore: score,
      fees: { upfront: 250_000 },
    }),
  );

await bench.run();

const hz = (name: string) => {
  const task = bench.tasks.find((t) => t.name.startsWith(name));
  const result = task?.result as { throughput?: { mean: number }; hz?: number } | undefined;
  return result?.throughput?.mean ?? result?.hz ?? Number.NaN;
};
console.table(
  bench.tasks.map((t) => ({ task: t.name, 'ops/s': Math.round(hz(t.name)).toLocaleString('en-GB') })),
);

const bare = hz('baseline: bare');
const fjs = hz('baseline: formulajs');
const sched = hz('schedule()');
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
console.log(`before: ${loadBefore}`);
console.log(`after:  ${load()}`);
console.log(
  `schedule vs bare float loop: ${(bare / sched).toFixed(1)}× slower (target ≤ 10×: ${verdict(bare / sched <= 10)})`,
);
console.log(
  `schedule vs formulajs:       ${(sched / fjs).toFixed(1)}× faster (target ≥ 20×: ${verdict(sched / fjs >= 20)})`,
);

// 100,000 distinct companies scored in one pass on one core.
const companies = Array.from({ length: 100_000 }, (_, i) => ({
  sicCodes: [['25210', '10110', '62012', '35110', '41201', '47110'][i % 6]!],
  metrics: scoreInput.metrics.map((m, y) => ({
    ...m,
    scope1Tco2e: m.scope1Tco2e * (0.5 + ((i * 7919 + y) % 1000) / 1000),
    scope2Tco2e: m.scope2Tco2e * (0.5 + ((i * 104729 + y) % 1000) / 1000),
  })),
}));
const t0 = performance.now();
let checksum = 0;
for (const c of companies) checksum += greenScore(c).score;
const elapsed = performance.now() - t0;
console.log(
  `greenScore × 100,000 companies: ${elapsed.toFixed(0)} ms (target < 1000 ms; mean score ${(checksum / companies.length).toFixed(1)})`,
);
