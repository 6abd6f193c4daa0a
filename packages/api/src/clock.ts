import type { IsoDate } from '@greenfin/core';

/**
 * The API's one source of "now". Injected through `createApp`, so a test can fix the date a loan
 * simulation starts on; @greenfin/core never reads a clock.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * The calendar date (UTC) of an instant, as core's `IsoDate`.
 *
 * @example utcDate(new Date('2026-11-22T23:30:00Z')) // '2026-11-22'
 */
export function utcDate(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10);
}
