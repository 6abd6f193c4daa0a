import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { halfEven, halfUp, rounder } from '../rounding.js';
import { GreenfinError } from '../errors.js';

describe('halfEven', () => {
  // Reference: IEEE 754 roundTiesToEven, as implemented by Python's round() / Java RoundingMode.HALF_EVEN.
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4, 2],
    [2.6, 3],
    [-2.6, -3],
    [79.01833, 79],
    [1234.5000000001, 1234],
    [378230494.12176955, 378230494], // found by fast-check: a relative tie tolerance was too wide here
  ])('halfEven(%d) = %d', (x, expected) => {
    expect(halfEven(x)).toBe(expected);
  });
  it('treats float noise around a half as a tie (1.005 × 100 = 100.49999999999999)', () => {
    expect(1.005 * 100).toBeLessThan(100.5);
    expect(halfEven(1.005 * 100)).toBe(100);
    expect(halfUp(1.005 * 100)).toBe(101);
  });
});

describe('halfUp', () => {
  // Reference: Java RoundingMode.HALF_UP (ties away from zero).
  it.each([
    [0.5, 1],
    [1.5, 2],
    [2.5, 3],
    [-2.5, -3],
    [2.4, 2],
    [-2.4, -2],
    [2.49, 2],
  ])('halfUp(%d) = %d', (x, expected) => {
    expect(halfUp(x)).toBe(expected);
  });
});

describe('laws', () => {
  test.prop([fc.double({ min: -1e9, max: 1e9, noNaN: true })])('both modes land within half a unit', (x) => {
    expect(Math.abs(halfEven(x) - x)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(Math.abs(halfUp(x) - x)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(Number.isInteger(halfEven(x))).toBe(true);
  });
  test.prop([fc.integer({ min: -1e6, max: 1e6 })])('integers are fixed points', (n) => {
    expect(halfEven(n)).toBe(n);
    expect(halfUp(n)).toBe(n);
  });
  it('rejects unknown modes with a typed error', () => {
    expect(() => rounder('half-down' as never)).toThrow(GreenfinError);
  });
});
