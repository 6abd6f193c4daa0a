/** The root finder on equations with known closed-form roots. */
import { describe, expect, it } from 'vitest';
import { GreenfinError } from '../../errors.js';
import { solveRate } from '../solver.js';

const eu = (flows: [amount: number, years: number][]) => ({
  amounts: Float64Array.from(flows.map(([a]) => a)),
  whole: Float64Array.from(flows.map(([, t]) => t)),
  fraction: null,
});

describe('solveRate', () => {
  it('solves 1000 = 1100 / (1 + r) exactly', () => {
    expect(
      solveRate(
        eu([
          [1000, 0],
          [-1100, 1],
        ]),
      ).rate,
    ).toBeCloseTo(0.1, 15);
  });

  it('with two positive roots, returns the one nearest zero (MCOB 10.3.1B R(2))', () => {
    // 100x² − 230x + 132 = 0 with x = 1 + r: x = 1.1 or 1.2.
    expect(
      solveRate(
        eu([
          [100, 0],
          [-230, 1],
          [132, 2],
        ]),
      ).rate,
    ).toBeCloseTo(0.1, 12);
  });

  it('with only negative roots, returns the one nearest zero', () => {
    // 100x² − 150x + 56 = 0: x = 0.8 or 0.7.
    expect(
      solveRate(
        eu([
          [100, 0],
          [-150, 1],
          [56, 2],
        ]),
      ).rate,
    ).toBeCloseTo(-0.2, 12);
  });

  it("applies Appendix J's simple interest to the fraction of a unit-period: 1000 = 1100 / ((1 + ½ i)(1 + i))", () => {
    const { rate } = solveRate({
      amounts: Float64Array.of(1000, -1100),
      whole: Float64Array.of(0, 1),
      fraction: Float64Array.of(0, 0.5),
    });
    // (1 + i/2)(1 + i) = 1.1 → i²/2 + 3i/2 − 0.1 = 0.
    expect(rate).toBeCloseTo((-1.5 + Math.sqrt(2.25 + 0.2)) / 1, 14);
  });

  it('converges to full precision in a handful of iterations for an ordinary loan', () => {
    const flows: [number, number][] = [[10_000, 0]];
    for (let k = 1; k <= 60; k++) flows.push([-200, k / 12]);
    const root = solveRate(eu(flows));
    const residual = flows.reduce((s, [a, t]) => s + a * (1 + root.rate) ** -t, 0);
    expect(Math.abs(residual)).toBeLessThan(1e-9);
    expect(root.iterations).toBeLessThanOrEqual(8);
  });

  it('throws no_solution instead of returning NaN when nothing balances', () => {
    expect(() =>
      solveRate(
        eu([
          [1000, 0],
          [-1100, 0],
        ]),
      ),
    ).toThrow(GreenfinError);
    expect(() =>
      solveRate(
        eu([
          [1000, 0],
          [-1100, 0],
        ]),
      ),
    ).toThrow(/no rate/);
  });
});
