/**
 * `transactions`: the Greenfin template, the Berka preset (on lines copied from the PKDD'99
 * trans.csv), the UK debit/credit preset, custom JSON mappings, one fault per line, and the
 * de-duplication keys — which must be exactly core's `transactionDedupKeys` of the rows in file
 * order, hashed (checked here against node:crypto's SHA-256 as an independent implementation).
 */
import { createHash } from 'node:crypto';
import { transactionDedupKeys } from '@greenfin/core';
import { describe, expect, it } from 'vitest';
import { DatasetHeaderError } from '../errors.js';
import { readDataset } from '../read-dataset.js';
import { resolveTransactionMapping, TransactionMappingError } from '../transaction-mapping.js';
import { parseTransactionAmount, parseTransactionDate, toTransaction } from '../transactions.js';
import { chunked, fixtureBytes, fixtureStream, readAll, reasons } from './support.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('transactions dataset: the greenfin template', () => {
  it('reads every line with exact minor units, the file’s categories as source import', async () => {
    const read = await readAll('transactions', fixtureStream('transactions-template.csv'));
    expect(read.rejects).toEqual([]);
    expect(read.variant).toBe('transactions');
    expect(read.rowLines).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(read.rows[0]).toMatchObject({
      accountRef: 'GB33BUKB20201555555555',
      bookingDate: '2025-01-02',
      amount: 250_000,
      currency: 'GBP',
      description: 'INVOICE 1017 ACME RETAIL LTD',
      counterparty: 'Acme Retail Ltd',
      category: null,
      categorySource: null,
      balanceAfter: 1_425_000,
    });
    expect(read.rows[4]).toMatchObject({ amount: -120_000, category: 'rent', categorySource: 'import' });
    expect(read.rows[5]).toMatchObject({ description: 'PAYROLL, JANUARY', counterparty: null });
    // The sum of the file's amounts, added up by hand from the template: 2500 − 45.99 − 2.40 − 2.40
    // − 1200 − 3150 + 4100.50 − 45.99 = 2153.72.
    expect(read.rows.reduce((s, r) => s + r.amount, 0)).toBe(215_372);
  });

  it('keys are core’s transactionDedupKeys of the rows in file order; identical coffees get ranks 1 and 2', async () => {
    const read = await readAll('transactions', fixtureStream('transactions-template.csv'));
    const keys = transactionDedupKeys(read.rows.map(toTransaction));
    expect(read.rows.map((r) => r.dedupKey)).toEqual(keys);
    expect(read.rows.map((r) => r.dedupHash)).toEqual(keys.map(sha256));
    expect(read.rows[2]!.dedupKey).toBe(
      'tx1|GB33BUKB20201555555555|2025-01-03|GBP|-240|card payment costa coffee|1',
    );
    expect(read.rows[3]!.dedupKey).toBe(
      'tx1|GB33BUKB20201555555555|2025-01-03|GBP|-240|card payment costa coffee|2',
    );
    expect(new Set(read.rows.map((r) => r.dedupHash)).size).toBe(8);
  });

  it('a read resumed mid-file ranks repeats as the uninterrupted read does', async () => {
    const bytes = fixtureBytes('transactions-template.csv');
    const full = await readAll('transactions', chunked(bytes, [7, 100, 333]));
    const resumed = await readAll('transactions', chunked(bytes, [50]), { fromLine: 5 });
    expect(resumed.rowLines).toEqual([5, 6, 7, 8, 9]);
    expect(resumed.rows.map((r) => r.dedupHash)).toEqual(full.rows.slice(3).map((r) => r.dedupHash));
    expect(resumed.rows[0]!.dedupKey.endsWith('|2')).toBe(true);
  });

  it('rejects each faulty line with the column and why', async () => {
    const read = await readAll('transactions', fixtureStream('transactions-bad-rows.csv'));
    expect(read.rowLines).toEqual([2, 9, 10]);
    expect(reasons(read.rejects)).toEqual([
      [3, 'bookingDate: must be a calendar date YYYY-MM-DD, got "2025-02-30"'],
      [4, 'amount: GBP has 2 decimal places, got "12.345"'],
      [
        5,
        'amount: must be an amount like "1234.56" (set thousandsSeparator in the mapping, or remove the separators), got "1,200.00"',
      ],
      [6, 'accountRef: is required'],
      [7, 'currency: must be an ISO 4217 currency code such as GBP, got "XXY"'],
      [8, 'amount: is required'],
    ]);
  });

  it('a header without the template’s required columns names them before any row', async () => {
    const file = 'accountRef,date,amount\nacc-1,2025-01-01,1.00\n';
    await expect(readAll('transactions', chunked(file))).rejects.toThrow(
      /missing required columns "bookingDate", "currency"/,
    );
    await expect(readAll('transactions', chunked(file))).rejects.toBeInstanceOf(DatasetHeaderError);
  });
});

describe('transactions dataset: the berka preset', () => {
  // Lines 2, 139, 235, 996, 4810 and 1799 (partner account 0) of trans_1993-01-01_to_1994-03-30.csv
  // (PKDD'99 Berka, /work/shared/data/bank-transactions-berka-pkdd99), unchanged.
  const berka = [
    'trans_id,account_id,date,type,operation,amount,balance,k_symbol,bank,account',
    '695247,2378,930101,PRIJEM,VKLAD,700.00,700.00,,,',
    '3591421,1844,930131,PRIJEM,,12.60,3754.60,UROK,,',
    '695340,2378,930207,VYDAJ,PREVOD NA UCET,9612.00,80033.70,SIPO,EF,1222903',
    '144918,485,930326,VYBER,VYBER,5166.00,88602.90,,,',
    '1176550,4034,930630,VYDAJ,VYBER,14.60,-2906.60,SLUZBY,,',
    '1450116,4937,930424,VYDAJ,VYBER,5400.00,45384.20,,,0',
  ].join('\n');

  it('turns YYMMDD dates, the PRIJEM/VYDAJ/VYBER sign, CZK decimals and the codes into transactions', async () => {
    const read = await readAll('transactions', chunked(berka), { mapping: 'berka' });
    expect(read.rejects).toEqual([]);
    expect(read.rows.map((r) => [r.accountRef, r.bookingDate, r.amount, r.currency, r.balanceAfter])).toEqual(
      [
        ['2378', '1993-01-01', 70_000, 'CZK', 70_000],
        ['1844', '1993-01-31', 1_260, 'CZK', 375_460],
        ['2378', '1993-02-07', -961_200, 'CZK', 8_003_370],
        ['485', '1993-03-26', -516_600, 'CZK', 8_860_290],
        ['4034', '1993-06-30', -1_460, 'CZK', -290_660],
        ['4937', '1993-04-24', -540_000, 'CZK', 4_538_420],
      ],
    );
    expect(read.rows.map((r) => [r.description, r.counterparty])).toEqual([
      ['VKLAD', null],
      ['UROK', null],
      ['PREVOD NA UCET SIPO', 'EF 1222903'],
      ['VYBER', null],
      ['VYBER SLUZBY', null],
      ['VYBER', null], // partner account "0": none
    ]);
  });

  it('an unknown type is a reject naming the column and the values it may have', async () => {
    const read = await readAll('transactions', chunked(`${berka}\n1,2,930101,XYZ,VKLAD,1.00,1.00,,,`), {
      mapping: 'berka',
    });
    expect(reasons(read.rejects)).toEqual([[8, 'type: must be "PRIJEM", "VYDAJ", "VYBER", got "XYZ"']]);
  });
});

describe('transactions dataset: UK debit/credit exports and custom mappings', () => {
  it('uk-debit-credit reads a Lloyds-style export: DD/MM/YYYY, money out/in columns, sort code + account', async () => {
    const read = await readAll('transactions', fixtureStream('transactions-uk-debit-credit.csv'), {
      mapping: 'uk-debit-credit',
    });
    expect(read.rejects).toEqual([]);
    expect(
      read.rows.map((r) => [r.accountRef, r.bookingDate, r.amount, r.balanceAfter, r.description]),
    ).toEqual([
      ['30-93-74 01234567', '2025-01-02', 250_000, 1_425_000, 'ACME RETAIL LTD INV 1017'],
      ['30-93-74 01234567', '2025-01-03', -4_599, 1_420_401, 'OCTOPUS ENERGY'],
      ['30-93-74 01234567', '2025-01-03', -240, 1_420_161, 'COSTA COFFEE'],
      ['30-93-74 01234567', '2025-01-03', -240, 1_419_921, 'COSTA COFFEE'],
      ['30-93-74 01234567', '2025-01-31', 81_230, 1_501_151, 'HMRC VAT REFUND'],
    ]);
    expect(read.rows.every((r) => r.currency === 'GBP')).toBe(true);
  });

  it('a Nationwide-style export without account columns needs accountRef in the mapping', async () => {
    const file =
      'Date,Transaction type,Description,Paid out,Paid in,Balance\n"05/02/2025","Direct debit","EE LTD","£32.00","","£1,020.50"\n';
    await expect(readAll('transactions', chunked(file), { mapping: 'uk-debit-credit' })).rejects.toThrow(
      /no "Sort Code", "Account Number" column: give the account in the mapping/,
    );
    const read = await readAll('transactions', chunked(file), {
      mapping: '{"preset": "uk-debit-credit", "accountRef": "07-01-16 12345678"}',
    });
    expect(read.rejects).toEqual([]);
    expect(read.rows[0]).toMatchObject({
      accountRef: '07-01-16 12345678',
      bookingDate: '2025-02-05',
      amount: -3_200,
      balanceAfter: 102_050,
      description: 'EE LTD',
    });
  });

  it('a line filling both money out and money in is a reject', async () => {
    const file = 'Date,Description,Paid out,Paid in\n01/03/2025,X,1.00,2.00\n';
    const read = await readAll('transactions', chunked(file), {
      mapping: { preset: 'uk-debit-credit', accountRef: 'a' },
    });
    expect(reasons(read.rejects)).toEqual([
      [2, 'Paid out: and Paid in are both filled; a line is money out or money in, not both'],
    ]);
  });

  it('a custom JSON mapping: named columns, joined narrative, comma decimals, inverted sign, US dates', async () => {
    const mapping = {
      columns: {
        accountRef: 'Card',
        bookingDate: 'Posted',
        amount: 'Betrag',
        description: ['Merchant', 'City'],
        category: { anyOf: ['Kategorie', 'Category'] },
      },
      dateFormat: 'MM/DD/YYYY',
      decimalSeparator: ',',
      thousandsSeparator: '.',
      sign: 'inverted',
      currency: 'eur',
    };
    const file =
      'Card,Posted,Merchant,City,Betrag,Category\n**** 1234,03/14/2025,Café Uno,Berlin,"1.234,50",meals\n**** 1234,03/15/2025,Refund,,"-10,00",\n';
    const read = await readAll('transactions', chunked(file), { mapping });
    expect(read.rejects).toEqual([]);
    expect(read.rows.map((r) => [r.bookingDate, r.amount, r.currency, r.description, r.category])).toEqual([
      ['2025-03-14', -123_450, 'EUR', 'Café Uno Berlin', 'meals'],
      ['2025-03-15', 1_000, 'EUR', 'Refund', null],
    ]);
    // A column the custom mapping names must be in the file.
    await expect(readAll('transactions', chunked('Card,Posted,Betrag\n'), { mapping })).rejects.toThrow(
      /missing required columns "Merchant", "City", "Kategorie" or "Category"/,
    );
  });

  it('an invalid mapping fails with the mapping’s path at fault', () => {
    const cases: [unknown, string][] = [
      ['hsbc', 'mapping: must be one of "greenfin", "berka", "uk-debit-credit", got "hsbc"'],
      ['{"columns": ', 'mapping: is not valid JSON'],
      [{ dateFormat: 'D/M/Y' }, 'mapping.dateFormat: must be one of'],
      [{ columns: { date: 'Date' } }, 'mapping.columns.date: must be one of "accountRef"'],
      [
        { columns: { bookingDate: 'D', amount: 'A' } },
        'mapping.currency: is required when the file has no currency column',
      ],
      [
        { columns: { bookingDate: 'D', amount: 'A', currency: 'C' } },
        'mapping.accountRef: is required when the file has no account column',
      ],
      [
        { preset: 'greenfin', sign: 'debit-credit' },
        'mapping.columns.debit: is required with sign "debit-credit"',
      ],
      [
        { preset: 'berka', sign: { column: 'type', inflow: ['A'], outflow: ['a'] } },
        'mapping.sign.outflow: "A" is listed as both',
      ],
      [{ preset: 'greenfin', currency: 'pounds' }, 'mapping.currency: must be an ISO 4217 currency code'],
      [{ preset: 'greenfin', delimiter: ';' }, 'mapping.delimiter: is not a mapping setting'],
      [
        { preset: 'greenfin', decimalSeparator: ',', thousandsSeparator: ',' },
        'mapping.thousandsSeparator: must differ',
      ],
    ];
    for (const [option, message] of cases) {
      let caught: unknown;
      try {
        resolveTransactionMapping(option);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(option)).toBeInstanceOf(TransactionMappingError);
      expect((caught as Error).message).toContain(message);
    }
    expect(resolveTransactionMapping(undefined).name).toBe('greenfin');
    expect(resolveTransactionMapping('{"preset":"berka","currency":"EUR"}')).toMatchObject({
      name: 'berka',
      currency: 'EUR',
      dateFormat: 'YYMMDD',
    });
  });

  it('readDataset refuses an invalid mapping before reading any row', async () => {
    const gen = readDataset('transactions', chunked('a,b\n1,2\n'), { mapping: 'nope' });
    await expect(gen.next()).rejects.toBeInstanceOf(TransactionMappingError);
  });
});

describe('transaction dates and amounts', () => {
  it('parses each date format; YY is 19YY from 50, 20YY below', () => {
    expect(parseTransactionDate('930101', 'YYMMDD')).toEqual({ ok: true, date: '1993-01-01' });
    expect(parseTransactionDate('250101', 'YYMMDD')).toEqual({ ok: true, date: '2025-01-01' });
    expect(parseTransactionDate('2/1/2025', 'DD/MM/YYYY')).toEqual({ ok: true, date: '2025-01-02' });
    expect(parseTransactionDate('2/1/2025', 'MM/DD/YYYY')).toEqual({ ok: true, date: '2025-02-01' });
    expect(parseTransactionDate('29.02.2024', 'DD.MM.YYYY')).toEqual({ ok: true, date: '2024-02-29' });
    expect(parseTransactionDate('2024-02-29T10:00:00Z', 'YYYY-MM-DD')).toEqual({
      ok: true,
      date: '2024-02-29',
    });
    expect(parseTransactionDate('29.02.2023', 'DD.MM.YYYY').ok).toBe(false);
    expect(parseTransactionDate('2025-01-02', 'DD/MM/YYYY').ok).toBe(false);
    expect(parseTransactionDate('18991231', 'YYYYMMDD')).toEqual({
      ok: false,
      reason: 'must be a date between 1900 and 2100, got "18991231"',
    });
  });

  it('parses amounts exactly: signs, parentheses, symbols, separators; refuses the rest', () => {
    const point = { decimalSeparator: '.', thousandsSeparator: ',' } as const;
    const comma = { decimalSeparator: ',', thousandsSeparator: '.' } as const;
    expect(parseTransactionAmount('-£1,234.56', 'GBP', point)).toEqual({ ok: true, amount: -123_456 });
    expect(parseTransactionAmount('(12.00)', 'GBP', point)).toEqual({ ok: true, amount: -1_200 });
    expect(parseTransactionAmount('12.5-', 'GBP', point)).toEqual({ ok: true, amount: -1_250 });
    expect(parseTransactionAmount('+.5', 'GBP', point)).toEqual({ ok: true, amount: 50 });
    expect(parseTransactionAmount('1.234,5 €', 'EUR', comma)).toEqual({ ok: true, amount: 123_450 });
    expect(parseTransactionAmount('1200', 'JPY', point)).toEqual({ ok: true, amount: 1_200 });
    expect(parseTransactionAmount('12.5', 'JPY', point)).toEqual({
      ok: false,
      reason: 'JPY has 0 decimal places, got "12.5"',
    });
    expect(parseTransactionAmount('0.1.2', 'GBP', { decimalSeparator: '.', thousandsSeparator: '' }).ok).toBe(
      false,
    );
    expect(parseTransactionAmount('12e3', 'GBP', point).ok).toBe(false);
    expect(parseTransactionAmount('-0.00', 'GBP', point)).toEqual({ ok: true, amount: 0 });
  });
});
