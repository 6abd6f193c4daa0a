/**
 * Reading bank statements for the cash-flow tests: the synthetic fixture shipped with the tests
 * (`test/fixtures/cash-flow/acme-statement.csv`) and, when present, one real account of the PKDD'99
 * research set (never copied into the project: it has no open licence).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One statement row as the API takes it (money as decimal strings). */
export interface StatementRow {
  accountRef: string;
  bookingDate: string;
  amount: { amount: string; currency: string };
  description: string;
  counterparty?: string;
  balanceAfter?: { amount: string; currency: string };
}

export const ACME_STATEMENT = fileURLToPath(
  new URL('../fixtures/cash-flow/acme-statement.csv', import.meta.url),
);

/** The fixture's rows (its fields contain no commas or quotes). */
export function readAcmeStatement(): StatementRow[] {
  const [, ...lines] = readFileSync(ACME_STATEMENT, 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [account, date, amount, description, counterparty, balance] = line.split(',') as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return {
      accountRef: account,
      bookingDate: date,
      amount: { amount, currency: 'GBP' },
      description,
      counterparty,
      balanceAfter: { amount: balance, currency: 'GBP' },
    };
  });
}

/** `../shared/data` beside the repository, or `$GREENFIN_SHARED_DATA` (as the other data tests). */
const SHARED_DATA =
  process.env['GREENFIN_SHARED_DATA'] ??
  fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
export const BERKA_TRANSACTIONS = join(
  SHARED_DATA,
  'bank-transactions-berka-pkdd99',
  'trans_1993-01-01_to_1994-03-30.csv',
);

/**
 * One account of the PKDD'99 set, in the file's order (by date; the bank's order within a day is
 * not recorded, so the rows of a day keep their trans_id order): credits (`PRIJEM`) positive,
 * debits (`VYDAJ`, `VYBER`) negative, CZK; `balance` is the balance after. Null when the data set
 * is not on this machine.
 */
export function readBerkaAccount(accountId: string): StatementRow[] | null {
  if (!existsSync(BERKA_TRANSACTIONS)) return null;
  const [header, ...lines] = readFileSync(BERKA_TRANSACTIONS, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const rows = lines
    .map((l) => l.split(','))
    .filter((f) => f[at('account_id')] === accountId)
    .map((f) => {
      const yymmdd = f[at('date')]!;
      const sign = f[at('type')] === 'PRIJEM' ? '' : '-';
      const amount = Number(f[at('amount')]).toFixed(2);
      const balance = Number(f[at('balance')]).toFixed(2);
      return {
        id: Number(f[at('trans_id')]),
        accountRef: `berka-${accountId}`,
        bookingDate: `19${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`,
        amount: { amount: `${sign}${amount}`, currency: 'CZK' },
        description: [f[at('operation')], f[at('k_symbol')]].filter((s) => s && s.trim()).join(' '),
        balanceAfter: { amount: balance, currency: 'CZK' },
      };
    });
  return rows
    .map((r, index) => ({ r, index }))
    .sort((a, b) =>
      a.r.bookingDate < b.r.bookingDate ? -1 : a.r.bookingDate > b.r.bookingDate ? 1 : a.index - b.index,
    )
    .map(({ r: { id: _id, ...row } }) => row);
}

/** Minor units of a decimal string with 2 decimals ("-12.30" → -1230), by string arithmetic. */
export function pence(decimal: string): number {
  const negative = decimal.startsWith('-');
  const [units, fraction = ''] = decimal.replace('-', '').split('.');
  const value = Number(units) * 100 + Number(fraction.padEnd(2, '0'));
  return negative ? -value : value;
}

/** Independent per-month figures: inflow, outflow, net (minor units) and the combined closing
 * balance (sum over accounts of the last stated balance on or before the month end; null when the
 * rows state no balance). */
export function monthlyFigures(rows: readonly StatementRow[]) {
  const months = new Map<string, { inflow: number; outflow: number; net: number; count: number }>();
  for (const r of rows) {
    const month = r.bookingDate.slice(0, 7);
    const m = months.get(month) ?? { inflow: 0, outflow: 0, net: 0, count: 0 };
    const a = pence(r.amount.amount);
    if (a > 0) m.inflow += a;
    else m.outflow += a;
    m.net += a;
    m.count += 1;
    months.set(month, m);
  }
  const keys = [...months.keys()].sort();
  const accounts = [...new Set(rows.map((r) => r.accountRef))];
  const stated = rows.some((r) => r.balanceAfter);
  return keys.map((month) => {
    if (!stated) return { month, ...months.get(month)!, closing: null };
    let closing = 0;
    for (const account of accounts) {
      let last: number | null = null;
      for (const r of rows) {
        if (r.accountRef === account && r.bookingDate.slice(0, 7) <= month && r.balanceAfter) {
          last = pence(r.balanceAfter.amount);
        }
      }
      // The fixtures state a balance on every row from each account's first month on.
      if (last === null) throw new Error(`${account} has no balance by ${month}`);
      closing += last;
    }
    return { month, ...months.get(month)!, closing };
  });
}
