/**
 * UK SIC 2007 sections by two-digit division (ONS, "UK Standard Industrial Classification of
 * Economic Activities 2007", structure table): the section letter groups companies into sectors.
 */
const SECTION_RANGES: readonly (readonly [number, number, string])[] = [
  [1, 3, 'A'],
  [5, 9, 'B'],
  [10, 33, 'C'],
  [35, 35, 'D'],
  [36, 39, 'E'],
  [41, 43, 'F'],
  [45, 47, 'G'],
  [49, 53, 'H'],
  [55, 56, 'I'],
  [58, 63, 'J'],
  [64, 66, 'K'],
  [68, 68, 'L'],
  [69, 75, 'M'],
  [77, 82, 'N'],
  [84, 84, 'O'],
  [85, 85, 'P'],
  [86, 88, 'Q'],
  [90, 93, 'R'],
  [94, 96, 'S'],
  [97, 98, 'T'],
  [99, 99, 'U'],
];

export const SIC_SECTIONS = 'ABCDEFGHIJKLMNOPQRSTU'.split('');

/**
 * The SIC 2007 section of a five-digit code, or null for a division that does not exist.
 *
 * @example sicSection('25210') // 'C' (manufacturing)
 */
export function sicSection(code: string): string | null {
  const division = Number(code.slice(0, 2));
  return SECTION_RANGES.find(([from, to]) => division >= from && division <= to)?.[2] ?? null;
}
