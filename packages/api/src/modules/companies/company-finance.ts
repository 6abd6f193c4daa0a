/**
 * A company's emissions target and balance sheet: between the API's JSON, the table's columns and
 * the shapes @greenfin/core takes (`EmissionsTarget` for the green score, `CompanyValue` for PCAF).
 */
import {
  type CompanyValue,
  type CurrencyCode,
  type EmissionsTarget,
  ErrorCode,
  fromDecimalString,
  GreenfinError,
  type Money,
  type TargetScopes,
  toDecimalString,
} from '@greenfin/core';
import type { BalanceSheetJson, EmissionsTargetJson } from './companies.schemas.js';
import type { Company } from './company.entity.js';

/** Column values for a target. */
export function targetColumns(target: EmissionsTargetJson) {
  const set = target.status === 'set' ? target : undefined;
  return {
    targetStatus: target.status,
    targetBaseYear: set?.baseYear ?? null,
    targetYear: set?.targetYear ?? null,
    targetReduction: set?.reduction ?? null,
    targetScopes: set?.scopes ?? null,
    targetValidated: set?.validated ?? null,
  };
}

/** The target as core's green score takes it: `undefined` not known, `null` none. */
export function coreTarget(c: Company): EmissionsTarget | null | undefined {
  if (c.targetStatus === 'unknown') return undefined;
  if (c.targetStatus === 'none') return null;
  return {
    baseYear: c.targetBaseYear ?? 0,
    targetYear: c.targetYear ?? 0,
    reduction: c.targetReduction ?? 0,
    scopes: (c.targetScopes ?? 'scope1+2') as TargetScopes,
    validated: c.targetValidated ?? false,
  };
}

export function targetJson(c: Company): EmissionsTargetJson {
  const target = coreTarget(c);
  if (target === undefined) return { status: 'unknown' };
  if (target === null) return { status: 'none' };
  return { status: 'set', ...target };
}

function parseMoney(json: { amount: string; currency: CurrencyCode }, path: string): Money {
  return fromDecimalString(json.amount, json.currency, `${path}.amount`);
}

/**
 * Column values for a balance sheet, checked as PCAF needs it (one currency, debt ≥ 0, a company
 * value > 0); a failed rule is core's `GreenfinError` naming the field, answered as a 422.
 */
export function balanceSheetColumns(sheet: BalanceSheetJson | null) {
  const none = {
    balanceSheetBasis: null,
    balanceSheetCurrency: null,
    equityAmount: null,
    debtAmount: null,
    evicAmount: null,
  };
  if (sheet === null) return none;
  if (sheet.basis === 'evic') {
    const evic = parseMoney(sheet.evic, 'balanceSheet.evic');
    if (evic.amount <= 0) {
      throw new GreenfinError(ErrorCode.OutOfRange, 'balanceSheet.evic.amount', 'must be > 0');
    }
    return {
      ...none,
      balanceSheetBasis: 'evic' as const,
      balanceSheetCurrency: evic.currency,
      evicAmount: evic.amount,
    };
  }
  const equity = parseMoney(sheet.equity, 'balanceSheet.equity');
  const debt = parseMoney(sheet.debt, 'balanceSheet.debt');
  if (debt.currency !== equity.currency) {
    throw new GreenfinError(
      ErrorCode.CurrencyMismatch,
      'balanceSheet.debt.currency',
      `must be the equity's currency ${equity.currency}, got ${debt.currency}`,
    );
  }
  if (debt.amount < 0)
    throw new GreenfinError(ErrorCode.OutOfRange, 'balanceSheet.debt.amount', 'must be ≥ 0');
  if (Math.max(0, equity.amount) + debt.amount <= 0) {
    throw new GreenfinError(
      ErrorCode.OutOfRange,
      'balanceSheet.debt.amount',
      'equity + debt must be > 0 (PCAF counts negative equity as 0)',
    );
  }
  return {
    ...none,
    balanceSheetBasis: 'equity-plus-debt' as const,
    balanceSheetCurrency: equity.currency,
    equityAmount: equity.amount,
    debtAmount: debt.amount,
  };
}

/** PCAF company value for core's `financedEmissions`, or null when the balance sheet is not known. */
export function companyValue(c: Company): CompanyValue | null {
  const currency = c.balanceSheetCurrency as CurrencyCode | null | undefined;
  if (!c.balanceSheetBasis || !currency) return null;
  if (c.balanceSheetBasis === 'evic') {
    return { basis: 'evic', evic: { amount: c.evicAmount ?? 0, currency } };
  }
  return {
    basis: 'equity-plus-debt',
    equity: { amount: c.equityAmount ?? 0, currency },
    debt: { amount: c.debtAmount ?? 0, currency },
  };
}

const moneyJson = (m: Money) => ({ amount: toDecimalString(m), currency: m.currency });

export function balanceSheetJson(c: Company): BalanceSheetJson | null {
  const value = companyValue(c);
  if (value === null) return null;
  if (value.basis === 'evic') return { basis: 'evic', evic: moneyJson(value.evic) };
  if (!('equity' in value)) return null;
  return { basis: 'equity-plus-debt', equity: moneyJson(value.equity), debt: moneyJson(value.debt) };
}
