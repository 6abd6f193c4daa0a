/**
 * De-duplication keys for imported bank transactions. Re-importing the same statement must yield
 * the same keys (so a unique index rejects the repeats), while true repeats inside one statement —
 * two identical £2.40 coffees on one day — must stay distinct. The key is therefore the
 * transaction's identity (account, date, currency, amount, normalised narrative) plus its rank
 * among identical transactions of that day.
 */
import { validateTransactions, type Transaction } from './transaction.js';
import { sha256Hex } from './sha256.js';

/**
 * Version prefix of the key format; a change of format changes every key, visibly.
 *
 * @example transactionDedupKeys([tx])[0].startsWith(`${DEDUP_KEY_VERSION}|`) // true
 */
export const DEDUP_KEY_VERSION = 'tx1';

const NOISE = /[^\p{L}\p{N}]+/gu;

/**
 * Normalises a bank narrative for comparison: Unicode NFKC, case-folded, every run of punctuation,
 * symbols and whitespace turned into a single space, trimmed. Banks re-export the same narrative
 * with different spacing, case and separators ("CARD PAYMENT - TESCO*STORES" vs
 * "Card payment Tesco Stores"); these all normalise alike.
 *
 * @example normaliseDescription('  CARD PAYMENT - TESCO*Stores  ') // 'card payment tesco stores'
 */
export function normaliseDescription(description: string): string {
  return description.normalize('NFKC').toLowerCase().replace(NOISE, ' ').trim();
}

/**
 * One canonical key per transaction, in input order:
 * `tx1|<accountRef>|<bookingDate>|<currency>|<amount>|<normalised description>|<n>`, where `n`
 * (1, 2, …) counts identical transactions (same everything before it) on that day in input order.
 * `|` and `\` inside the account or description are escaped, so keys never collide by accident.
 * Keys depend only on each day's transactions and their order within the day, not on how days are
 * interleaved.
 *
 * @example
 * const coffee = { accountRef: 'acc-1', bookingDate: '2025-03-04', amount: -240, currency: 'GBP',
 *   description: 'COSTA COFFEE' } as const;
 * transactionDedupKeys([coffee, coffee]);
 * // ['tx1|acc-1|2025-03-04|GBP|-240|costa coffee|1', 'tx1|acc-1|2025-03-04|GBP|-240|costa coffee|2']
 */
export function transactionDedupKeys(transactions: readonly Transaction[]): string[] {
  validateTransactions(transactions);
  const seen = new Map<string, number>();
  return transactions.map((t) => {
    const identity = [
      DEDUP_KEY_VERSION,
      escapeField(t.accountRef),
      t.bookingDate,
      t.currency,
      String(t.amount),
      escapeField(normaliseDescription(t.description)),
    ].join('|');
    const n = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, n);
    return `${identity}|${n}`;
  });
}

function escapeField(text: string): string {
  return text.replace(/[\\|]/g, (c) => `\\${c}`);
}

/**
 * SHA-256 (FIPS 180-4) hex digest of a de-duplication key: 64 characters, fit for a fixed-width
 * unique database column.
 *
 * @example dedupHash('tx1|acc-1|2025-03-04|GBP|-240|costa coffee|1').length // 64
 */
export function dedupHash(key: string): string {
  return sha256Hex(key);
}
