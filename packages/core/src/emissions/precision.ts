/**
 * Output precision for emissions. Results are reported in tCO2e to 6 decimal places (one gram):
 * far below any published figure's precision, far above binary-float noise (120 × 0.177 is
 * 21.240000000000002 in floating point).
 */
import { halfEven } from '../rounding.js';

/** Decimal places kept in reported tCO2e figures. */
export const TONNES_DECIMALS = 6;

const SCALE = 10 ** TONNES_DECIMALS;

/** Rounds a tCO2e figure to {@link TONNES_DECIMALS} places, half to even. */
export function roundTonnes(tco2e: number): number {
  return halfEven(tco2e * SCALE) / SCALE;
}
