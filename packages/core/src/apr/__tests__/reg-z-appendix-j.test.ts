/**
 * Every worked example of 12 CFR Part 1026 (Regulation Z), Appendix J, paragraph (c) "Examples for
 * the actuarial method", (c)(1)(i) to (c)(6)(ii) — 17 examples.
 *
 * Source: https://www.consumerfinance.gov/rules-policy/regulations/1026/j/ (CFR 1-1-24 edition,
 * govinfo CFR-2024-title12-vol9-part1026-appJ.pdf). Appendix J prints its examples and equations as
 * images, so amounts, dates and results were taken from two independent public transcriptions that
 * agree with each other: the Appendix J tests of FSharp.Finance.Personal (amounts, dates, published
 * APR) and a transcription listing each example's published t, f and unit-periods per year. We
 * assert the published t and f too, which checks our reading of the dates against the example.
 *
 * Appendix J publishes the APR to two decimals and says an APR is correct when it agrees "when
 * rounded to two decimals", so each test compares at that precision.
 */
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../dates.js';
import { aprDetails, type CashFlow } from '../index.js';

/** The APR in percent rounded to 2 decimals, Appendix J's published precision. */
const percent2 = (fraction: number): number => Math.round(fraction * 10_000) / 100;

const cents = (dollars: number): number => Math.round(dollars * 100);

/** `count` payments of `dollars`, `stepMonths` apart from `first` (anchor-based, no drift). */
function monthly(first: string, count: number, dollars: number, stepMonths = 1): CashFlow[] {
  return Array.from({ length: count }, (_, k) => ({
    amount: cents(dollars),
    date: addMonths(first, k * stepMonths),
  }));
}

/** `count` payments of `dollars`, `stepDays` apart from `first`. */
function everyDays(first: string, count: number, dollars: number, stepDays: number): CashFlow[] {
  return Array.from({ length: count }, (_, k) => ({
    amount: cents(dollars),
    date: addDays(first, k * stepDays),
  }));
}

function usApr(advanceDollars: number, advanceDate: string, payments: CashFlow[]) {
  return aprDetails({
    method: 'us-actuarial',
    advances: [{ amount: cents(advanceDollars), date: advanceDate }],
    payments,
  });
}

/** The timeline entry of the payment with index `k`. */
function paymentTime(d: ReturnType<typeof aprDetails>, k: number) {
  const entry = d.timeline.find((e) => e.kind === 'payment' && e.index === k);
  return { t: entry?.wholePeriods, f: entry?.fraction };
}

describe('Appendix J (c)(1): single advance, with or without an odd first period, otherwise regular', () => {
  it('(c)(1)(i) monthly, regular first period: $5,000, 24 × $230 from 2-10-78 → 9.69 %', () => {
    const d = usApr(5000, '1978-01-10', monthly('1978-02-10', 24, 230));
    expect(d.unitPeriod).toBe('month');
    expect(d.unitPeriodsPerYear).toBe(12);
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 0 });
    expect(percent2(d.apr)).toBe(9.69);
  });

  it('(c)(1)(ii) monthly, long first period: $6,000 on 2-10-78, 36 × $200 from 4-1-78 → 11.82 %', () => {
    const d = usApr(6000, '1978-02-10', monthly('1978-04-01', 36, 200));
    expect(d.unitPeriod).toBe('month');
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 19 / 30 });
    expect(percent2(d.apr)).toBe(11.82);
  });

  it('(c)(1)(iii) semimonthly, short first period: $5,000 on 2-23-78, 24 × $219.17 on the 1st and 16th → 10.34 %', () => {
    const payments = Array.from({ length: 24 }, (_, k) => ({
      amount: cents(219.17),
      date: addDays(addMonths('1978-03-01', Math.floor(k / 2)), k % 2 === 0 ? 0 : 15),
    }));
    const d = usApr(5000, '1978-02-23', payments);
    expect(d.unitPeriod).toBe('semi-month');
    expect(d.unitPeriodsPerYear).toBe(24);
    expect(paymentTime(d, 0)).toEqual({ t: 0, f: 6 / 15 });
    expect(paymentTime(d, 1)).toEqual({ t: 1, f: 6 / 15 });
    expect(percent2(d.apr)).toBe(10.34);
  });

  it('(c)(1)(iv) quarterly, long first period: $10,000 on 5-23-78, 40 × $385 from 10-1-78 → 8.97 %', () => {
    const d = usApr(10000, '1978-05-23', monthly('1978-10-01', 40, 385, 3));
    expect(d.unitPeriod).toBe('quarter');
    expect(d.unitPeriodsPerYear).toBe(4);
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 39 / 90 });
    expect(percent2(d.apr)).toBe(8.97);
  });

  it('(c)(1)(v) weekly, long first period: $500 on 3-20-78, 30 × $17.60 from 4-21-78 → 14.96 %', () => {
    const d = usApr(500, '1978-03-20', everyDays('1978-04-21', 30, 17.6, 7));
    expect(d.unitPeriod).toBe('week');
    expect(d.unitPeriodsPerYear).toBe(52);
    expect(paymentTime(d, 0)).toEqual({ t: 4, f: 4 / 7 });
    expect(percent2(d.apr)).toBe(14.96);
  });
});

describe('Appendix J (c)(2): single advance with an odd first payment', () => {
  it('(c)(2)(i) monthly: $5,000 on 1-10-78, $250 on 2-10-78 then 23 × $230 → 10.08 %', () => {
    const d = usApr(5000, '1978-01-10', [
      { amount: cents(250), date: '1978-02-10' },
      ...monthly('1978-03-10', 23, 230),
    ]);
    expect(d.unitPeriod).toBe('month');
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 0 });
    expect(percent2(d.apr)).toBe(10.08);
  });

  it('(c)(2)(ii) every 4 weeks, long first period: $400 on 3-18-78, $39.50 on 4-20-78 then 11 × $38.31 → 28.50 %', () => {
    const d = usApr(400, '1978-03-18', [
      { amount: cents(39.5), date: '1978-04-20' },
      ...everyDays('1978-05-18', 11, 38.31, 28),
    ]);
    expect(d.unitPeriod).toBe('four-weeks');
    expect(d.unitPeriodsPerYear).toBe(13);
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 5 / 28 });
    expect(paymentTime(d, 1)).toEqual({ t: 2, f: 5 / 28 });
    expect(percent2(d.apr)).toBe(28.5);
  });
});

describe('Appendix J (c)(3): single advance with an odd final payment', () => {
  it('(c)(3)(i) monthly: $5,000 on 1-10-78, 23 × $230 from 2-10-78 then $280 → 10.50 %', () => {
    const d = usApr(5000, '1978-01-10', [
      ...monthly('1978-02-10', 23, 230),
      { amount: cents(280), date: addMonths('1978-02-10', 23) },
    ]);
    expect(paymentTime(d, 23)).toEqual({ t: 24, f: 0 });
    expect(percent2(d.apr)).toBe(10.5);
  });

  it('(c)(3)(ii) every 2 weeks, short first period: $200 on 4-3-78, 19 × $9.50 from 4-11-78 then $30 → 12.22 %', () => {
    const d = usApr(200, '1978-04-03', [
      ...everyDays('1978-04-11', 19, 9.5, 14),
      { amount: cents(30), date: addDays('1978-04-11', 14 * 19) },
    ]);
    expect(d.unitPeriod).toBe('two-weeks');
    expect(d.unitPeriodsPerYear).toBe(26);
    expect(paymentTime(d, 0)).toEqual({ t: 0, f: 8 / 14 });
    expect(paymentTime(d, 19)).toEqual({ t: 19, f: 8 / 14 });
    expect(percent2(d.apr)).toBe(12.22);
  });
});

describe('Appendix J (c)(4): single advance with odd first and final payments', () => {
  it('(c)(4)(i) monthly: $5,000 on 1-10-78, $250, 22 × $230, $280 → 10.90 %', () => {
    const d = usApr(5000, '1978-01-10', [
      { amount: cents(250), date: '1978-02-10' },
      ...monthly('1978-03-10', 22, 230),
      { amount: cents(280), date: addMonths('1978-03-10', 22) },
    ]);
    expect(paymentTime(d, 23)).toEqual({ t: 24, f: 0 });
    expect(percent2(d.apr)).toBe(10.9);
  });

  it('(c)(4)(ii) every two months, short first period: $8,000 on 1-10-78, $449.36 on 3-1-78, 18 × $465, $200 → 7.30 %', () => {
    const d = usApr(8000, '1978-01-10', [
      { amount: cents(449.36), date: '1978-03-01' },
      ...monthly('1978-05-01', 18, 465, 2),
      { amount: cents(200), date: addMonths('1978-05-01', 36) },
    ]);
    expect(d.unitPeriod).toBe('two-months');
    expect(d.unitPeriodsPerYear).toBe(6);
    expect(paymentTime(d, 0)).toEqual({ t: 0, f: 52 / 60 });
    expect(paymentTime(d, 19)).toEqual({ t: 19, f: 52 / 60 });
    expect(percent2(d.apr)).toBe(7.3);
  });
});

describe('Appendix J (c)(5): single advance, single payment', () => {
  it('(c)(5)(i) term of 255 days (1-3-78 to 9-15-78): $1,000 → $1,080, 365/255 unit-periods a year → 11.45 %', () => {
    const d = usApr(1000, '1978-01-03', [{ amount: cents(1080), date: '1978-09-15' }]);
    expect(d.unitPeriod).toEqual({ days: 255 });
    expect(d.unitPeriodsPerYear).toBeCloseTo(365 / 255, 15);
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 0 });
    expect(percent2(d.apr)).toBe(11.45);
  });

  // (c)(5)(ii)–(iv) state the term, not calendar dates (as transcribed); any dates with that term
  // give the same equation, so we start each on 1-3-78 like (c)(5)(i).
  it('(c)(5)(ii) term of 6 months: $1,000 → $1,044, 2 unit-periods a year → 8.80 %', () => {
    const d = usApr(1000, '1978-01-03', [{ amount: cents(1044), date: '1978-07-03' }]);
    expect(d.unitPeriod).toBe('half-year');
    expect(d.unitPeriodsPerYear).toBe(2);
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 0 });
    expect(percent2(d.apr)).toBe(8.8);
  });

  it('(c)(5)(iii) term of 18 months: $1,000 → $1,135.19, unit-period a year, t = 1, f = 6/12 → 8.76 %', () => {
    const d = usApr(1000, '1978-01-03', [{ amount: cents(1135.19), date: '1979-07-03' }]);
    expect(d.unitPeriod).toBe('year');
    expect(paymentTime(d, 0)).toEqual({ t: 1, f: 6 / 12 });
    expect(percent2(d.apr)).toBe(8.76);
  });

  it('(c)(5)(iv) term of 2 years: $1,000 → $1,240, unit-period a year, t = 2 → 11.36 %', () => {
    const d = usApr(1000, '1978-01-03', [{ amount: cents(1240), date: '1980-01-03' }]);
    expect(d.unitPeriod).toBe('year');
    expect(paymentTime(d, 0)).toEqual({ t: 2, f: 0 });
    expect(percent2(d.apr)).toBe(11.36);
  });
});

describe('Appendix J (c)(6): complex single advance transactions', () => {
  it('(c)(6)(i) skipped-payment loan: $2,135 on 1-25-78, 24 × $100 every 4 weeks in four series → 12.00 %', () => {
    // Published series (t, f, count): (0, 26/28, 9) (10, 12/28, 6) (16, 26/28, 6) (23, 12/28, 3).
    // With a 4-week unit-period the time is days ÷ 28 ((b)(5)(iv)), so each payment falls
    // 28t + 28f days after the advance.
    const series: [number, number, number][] = [
      [0, 26, 9],
      [10, 12, 6],
      [16, 26, 6],
      [23, 12, 3],
    ];
    const payments = series.flatMap(([t, fDays, count]) =>
      everyDays(addDays('1978-01-25', 28 * t + fDays), count, 100, 28),
    );
    const d = usApr(2135, '1978-01-25', payments);
    expect(d.unitPeriod).toBe('four-weeks');
    expect(paymentTime(d, 9)).toEqual({ t: 10, f: 12 / 28 });
    expect(percent2(d.apr)).toBe(12);
  });

  it('(c)(6)(ii) skipped payments plus single payments: $7,350 on 3-3-78 → 10.22 %', () => {
    const d = usApr(7350, '1978-03-03', [
      ...monthly('1978-09-15', 3, 1000),
      { amount: cents(2000), date: '1979-03-15' },
      ...monthly('1979-09-15', 3, 750),
      { amount: cents(1000), date: '1980-02-01' },
    ]);
    expect(d.unitPeriod).toBe('month');
    expect(paymentTime(d, 0)).toEqual({ t: 6, f: 12 / 30 });
    expect(paymentTime(d, 3)).toEqual({ t: 12, f: 12 / 30 });
    expect(paymentTime(d, 4)).toEqual({ t: 18, f: 12 / 30 });
    expect(paymentTime(d, 7)).toEqual({ t: 22, f: 29 / 30 });
    expect(percent2(d.apr)).toBe(10.22);
  });
});

describe('Appendix J (b)(1) and (b)(8) beyond the printed examples', () => {
  it('APR = unit-period rate × unit-periods per year ((b)(1))', () => {
    const d = usApr(5000, '1978-01-10', monthly('1978-02-10', 24, 230));
    expect(d.apr).toBe(d.unitPeriodRate! * 12);
  });

  it('multiple advances are discounted like payments, with q and e ((b)(8)): two halves a month apart', () => {
    // Half the money arriving a month later, for the same repayments, makes the credit dearer.
    const payments = monthly('1978-03-10', 24, 230);
    const single = aprDetails({
      method: 'us-actuarial',
      advances: [{ amount: 500_000, date: '1978-01-10' }],
      payments,
    });
    const split = aprDetails({
      method: 'us-actuarial',
      advances: [
        { amount: 250_000, date: '1978-01-10' },
        { amount: 250_000, date: '1978-02-10' },
      ],
      payments,
    });
    const second = split.timeline.find((e) => e.kind === 'advance' && e.index === 1);
    expect(second).toMatchObject({ wholePeriods: 1, fraction: 0 });
    expect(split.apr).toBeGreaterThan(single.apr);
    // The equation holds at the solved rate: Σ A/(1+i)^q = Σ P/((1+f i)(1+i)^t).
    const i = split.unitPeriodRate!;
    const pv = (e: (typeof split.timeline)[number]) =>
      e.amount / ((1 + e.fraction! * i) * (1 + i) ** e.wholePeriods!);
    const advances = split.timeline.filter((e) => e.kind === 'advance').reduce((s, e) => s + pv(e), 0);
    const repaid = split.timeline.filter((e) => e.kind === 'payment').reduce((s, e) => s + pv(e), 0);
    expect(Math.abs(advances - repaid)).toBeLessThan(1e-7);
  });
});
