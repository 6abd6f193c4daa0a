/**
 * Named rounding modes for turning a computed amount (a float in minor units) into an integer
 * number of minor units.
 *
 * Binary floats cannot represent most decimal fractions, so a value meant to be exactly x.5 may
 * arrive as x.4999999999 or x.5000000001. Both modes therefore treat anything within 1e-9 of a
 * half (or a few ulps of x, for amounts above a million units, where an ulp exceeds 1e-9) as a
 * tie — far below a minor unit, far above float noise — and break the tie by the mode's rule.
 */
import { assertOneOf } from './errors.js';

/** The rounding modes core supports. */
export type RoundingMode = 'half-even' | 'half-up';
export const ROUNDING_MODES: readonly RoundingMode[] = ['half-even', 'half-up'];

const TIE_TOLERANCE = 1e-9;
/** About 4.5 ulps: the relative noise one or two float operations leave. */
const RELATIVE_NOISE = 1e-15;

function splitTie(x: number): { floor: number; tie: boolean; above: boolean } {
  const floor = Math.floor(x);
  const frac = x - floor;
  const tol = Math.max(TIE_TOLERANCE, Math.abs(x) * RELATIVE_NOISE);
  const tie = Math.abs(frac - 0.5) <= tol;
  return { floor, tie, above: frac > 0.5 };
}

/**
 * Round half to even (banker's rounding, IEEE 754 default, ISO 80000-1 B.3): ties go to the even
 * integer. Unbiased over many roundings, hence the default for schedules.
 *
 * @example halfEven(2.5) // 2
 * @example halfEven(3.5) // 4
 * @example halfEven(-2.5) // -2
 */
export function halfEven(x: number): number {
  const { floor, tie, above } = splitTie(x);
  const r = tie ? (floor % 2 === 0 ? floor : floor + 1) : above ? floor + 1 : floor;
  return r === 0 ? 0 : r; // no -0
}

/**
 * Round half away from zero ("commercial rounding"): ties move away from zero.
 *
 * @example halfUp(2.5) // 3
 * @example halfUp(-2.5) // -3
 */
export function halfUp(x: number): number {
  if (x < 0) {
    const r = -halfUp(-x);
    return r === 0 ? 0 : r;
  }
  const { floor, tie, above } = splitTie(x);
  return tie || above ? floor + 1 : floor;
}

/** Returns the rounding function for a mode name (validated). */
export function rounder(mode: RoundingMode = 'half-even', path = 'rounding'): (x: number) => number {
  assertOneOf(mode, ROUNDING_MODES, path);
  return mode === 'half-even' ? halfEven : halfUp;
}
