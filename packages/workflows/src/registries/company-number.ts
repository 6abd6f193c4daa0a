/**
 * Normalising the jurisdiction and company number a caller passes, before they go into a URL.
 * Returns null when the input cannot be a valid identifier; the clients turn that into a
 * `RegistryRequestError` naming the field.
 */

/** OpenCorporates jurisdiction codes: ISO 3166-1 alpha-2, optionally `_` + subdivision (`us_de`). */
const JURISDICTION_PATTERN = /^[a-z]{2}(_[a-z0-9]{1,6})?$/;

/** Lower-cases and checks an OpenCorporates-style jurisdiction code (`GB` → `gb`). */
export function normaliseJurisdiction(input: string): string | null {
  const code = input.trim().toLowerCase();
  return JURISDICTION_PATTERN.test(code) ? code : null;
}

/**
 * A UK (Companies House) company number in its canonical 8-character form: spaces removed, upper
 * case, and the zero padding people often drop restored — `8957400` → `08957400`,
 * `SC12345` → `SC012345`. Companies House answers 404 for unpadded numbers.
 *
 * @example normaliseUkCompanyNumber(' sc 12345 ') // 'SC012345'
 */
export function normaliseUkCompanyNumber(input: string): string | null {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (/^\d{1,8}$/.test(compact)) return compact.padStart(8, '0');
  const prefixed = /^([A-Z]{2})(\d{1,6})$/.exec(compact);
  if (prefixed) return `${prefixed[1]}${prefixed[2]!.padStart(6, '0')}`;
  // Anything else of 8 letters/digits (e.g. `R0000123`-style legacy numbers) is passed through.
  return /^[A-Z0-9]{8}$/.test(compact) ? compact : null;
}

/**
 * A company number for any jurisdiction: trimmed, non-empty, at most 64 printable characters.
 * UK numbers get {@link normaliseUkCompanyNumber}; other registries' formats are kept as given.
 */
export function normaliseCompanyNumber(jurisdiction: string, input: string): string | null {
  if (jurisdiction === 'gb') return normaliseUkCompanyNumber(input);
  const number = input.trim();
  // Control characters have no place in a registry number and would corrupt the URL path.
  // eslint-disable-next-line no-control-regex
  if (!number || number.length > 64 || /[\u0000-\u001f\u007f]/.test(number)) return null;
  return number;
}
