/**
 * Registered company numbers as keys. Companies House numbers are 8 characters — 8 digits
 * (`01234567`) or a 2-letter register prefix and 6 digits (`SC123456`, `OE033509`) — and a
 * spreadsheet that treated them as numbers drops the leading zeros, so short numbers are padded
 * back (Companies House does the same when searching).
 */

const JURISDICTION = /^[a-z]{2}(?:_[a-z0-9]{1,6})?$/;
const GB_DIGITS = /^\d{1,8}$/;
const GB_PREFIXED = /^([A-Z]{2})(\d{1,6})$/;
const GB_NUMBER = /^[A-Z0-9]{8}$/;

/** Normalises an OpenCorporates-style jurisdiction code (`GB` → `gb`, `us_de`), or `null` when malformed. */
export function normaliseJurisdiction(raw: string): string | null {
  const code = raw.trim().toLowerCase();
  return JURISDICTION.test(code) ? code : null;
}

/**
 * Normalises a company number for `jurisdiction`: upper case, no inner spaces; in `gb`, padded to
 * the register's 8 characters. Returns `null` when it cannot be a number there.
 *
 * @example normaliseCompanyNumber('gb', '1234567') // '01234567'
 * @example normaliseCompanyNumber('gb', 'sc 12345') // 'SC012345'
 */
export function normaliseCompanyNumber(jurisdiction: string, raw: string): string | null {
  const value = raw.trim().toUpperCase().replace(/\s+/g, '');
  if (value === '') return null;
  if (jurisdiction !== 'gb') return value.length <= 32 ? value : null;
  if (GB_DIGITS.test(value)) return value.padStart(8, '0');
  const prefixed = GB_PREFIXED.exec(value);
  if (prefixed) return prefixed[1]! + prefixed[2]!.padStart(6, '0');
  return GB_NUMBER.test(value) ? value : null;
}
