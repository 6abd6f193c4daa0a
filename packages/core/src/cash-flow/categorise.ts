/**
 * Rule-based categorisation of bank transactions: the highest-priority matching rule sets the
 * category, a person's manual category is never overwritten, and every result says which rule
 * (if any) decided it.
 */
import { ErrorCode, GreenfinError, assertFinite, assertOneOf, invariant } from '../errors.js';
import { normaliseDescription } from './dedup.js';
import { validateTransactions, type CategorySource, type Transaction } from './transaction.js';

/** Which text a rule reads. */
export type CategoryRuleField = 'description' | 'counterparty';
/** `keyword`: whole words of the normalised text; `regex`: a JavaScript regular expression. */
export type CategoryRuleMatch = 'keyword' | 'regex';
/** Which amounts a rule applies to: money in (> 0), money out (< 0), or any. */
export type AmountSign = 'inflow' | 'outflow' | 'any';

export interface CategoryRule {
  /** Unique; breaks priority ties (ascending, by code unit). */
  readonly id: string;
  readonly field: CategoryRuleField;
  readonly match: CategoryRuleMatch;
  /**
   * `keyword`: words that must appear consecutively in the normalised field ("tesco stores" matches
   * "CARD PAYMENT TESCO*STORES 12" but "tax" does not match "TAXI"). `regex`: source of a regular
   * expression, compiled with the `i` and `u` flags and tested against the raw field.
   */
  readonly pattern: string;
  /** Default `'any'`. */
  readonly amountSign?: AmountSign;
  readonly category: string;
  /** Higher runs first. */
  readonly priority: number;
}

/** A transaction after categorisation. */
export interface CategorisedTransaction extends Transaction {
  /** The category now in force, or null when no rule matched and none was set. */
  readonly category?: string;
  readonly categorySource?: CategorySource;
  /** The rule that set the category in this run, or null (manual, kept import, or no match). */
  readonly matchedRuleId: string | null;
  /** Why the transaction has its category, for a report. */
  readonly categoryExplanation: string;
}

const FIELDS: readonly CategoryRuleField[] = ['description', 'counterparty'];
const MATCHES: readonly CategoryRuleMatch[] = ['keyword', 'regex'];
const SIGNS: readonly AmountSign[] = ['inflow', 'outflow', 'any'];

interface CompiledRule {
  readonly rule: CategoryRule;
  readonly sign: AmountSign;
  readonly test: (text: string) => boolean;
}

function compileRule(rule: CategoryRule, path: string, ids: Set<string>): CompiledRule {
  invariant(typeof rule === 'object' && rule !== null, ErrorCode.InvalidType, path, 'must be a rule object');
  invariant(
    typeof rule.id === 'string' && rule.id !== '',
    ErrorCode.Required,
    `${path}.id`,
    'must be a non-empty string',
  );
  invariant(
    !ids.has(rule.id),
    ErrorCode.Duplicate,
    `${path}.id`,
    `rule id ${JSON.stringify(rule.id)} is used twice`,
  );
  ids.add(rule.id);
  assertOneOf(rule.field, FIELDS, `${path}.field`);
  assertOneOf(rule.match, MATCHES, `${path}.match`);
  const sign = rule.amountSign ?? 'any';
  assertOneOf(sign, SIGNS, `${path}.amountSign`);
  invariant(
    typeof rule.category === 'string' && rule.category.trim() !== '',
    ErrorCode.Required,
    `${path}.category`,
    'must be a non-empty string',
  );
  assertFinite(rule.priority, `${path}.priority`);
  invariant(
    typeof rule.pattern === 'string' && rule.pattern !== '',
    ErrorCode.Required,
    `${path}.pattern`,
    'must be a non-empty string',
  );
  if (rule.match === 'keyword') {
    const words = normaliseDescription(rule.pattern);
    invariant(words !== '', ErrorCode.InvalidPattern, `${path}.pattern`, 'has no letters or digits to match');
    const needle = ` ${words} `;
    return { rule, sign, test: (text) => ` ${normaliseDescription(text)} `.includes(needle) };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(rule.pattern, 'iu');
  } catch (e) {
    throw new GreenfinError(
      ErrorCode.InvalidPattern,
      `${path}.pattern`,
      `is not a valid regular expression: ${(e as Error).message}`,
    );
  }
  return { rule, sign, test: (text) => regex.test(text) };
}

/**
 * Orders and compiles rules: highest `priority` first, ties by `id` ascending. Throws
 * `invalid_pattern` (path `rules[i].pattern`) for a regex that does not compile, `duplicate` for a
 * repeated id.
 */
function compileRules(rules: readonly CategoryRule[]): CompiledRule[] {
  invariant(Array.isArray(rules), ErrorCode.InvalidType, 'rules', 'must be an array of rules');
  const ids = new Set<string>();
  return rules
    .map((rule, i) => compileRule(rule, `rules[${i}]`, ids))
    .sort((a, b) => b.rule.priority - a.rule.priority || (a.rule.id < b.rule.id ? -1 : 1));
}

function signMatches(sign: AmountSign, amount: number): boolean {
  return sign === 'any' || (sign === 'inflow' ? amount > 0 : amount < 0);
}

/**
 * Categorises transactions with rules. For each transaction, in order:
 * 1. `categorySource: 'manual'` → kept as is (a person decided; rules never overwrite it);
 * 2. otherwise the first matching rule, highest `priority` first and ties by `id`, sets the
 *    category (`categorySource: 'rule'`, `matchedRuleId`);
 * 3. no rule matches → an existing category is kept (source `'import'` unless stated), else none.
 * Returns new objects; the input is not modified.
 *
 * @example
 * const [t] = categorise(
 *   [{ accountRef: 'a', bookingDate: '2025-01-06', amount: -4599, currency: 'GBP',
 *      description: 'DD OCTOPUS ENERGY LTD' }],
 *   [{ id: 'energy', field: 'description', match: 'keyword', pattern: 'octopus energy',
 *      amountSign: 'outflow', category: 'utilities', priority: 10 }],
 * );
 * t.category;      // 'utilities'
 * t.matchedRuleId; // 'energy'
 */
export function categorise(
  transactions: readonly Transaction[],
  rules: readonly CategoryRule[],
): CategorisedTransaction[] {
  validateTransactions(transactions);
  const compiled = compileRules(rules);
  return transactions.map((t): CategorisedTransaction => {
    if (t.categorySource === 'manual') {
      return {
        ...t,
        matchedRuleId: null,
        categoryExplanation: `Set manually to "${t.category}"; rules never overwrite a manual category.`,
      };
    }
    for (const { rule, sign, test } of compiled) {
      const text = rule.field === 'description' ? t.description : t.counterparty;
      if (text !== undefined && signMatches(sign, t.amount) && test(text)) {
        return {
          ...t,
          category: rule.category,
          categorySource: 'rule',
          matchedRuleId: rule.id,
          categoryExplanation: `Rule "${rule.id}" (priority ${rule.priority}): ${rule.field} ${
            rule.match === 'keyword' ? 'contains the words' : 'matches'
          } ${JSON.stringify(rule.pattern)}${sign === 'any' ? '' : ` on an ${sign}`} → "${rule.category}".`,
        };
      }
    }
    if (t.category !== undefined) {
      return {
        ...t,
        categorySource: t.categorySource ?? 'import',
        matchedRuleId: null,
        categoryExplanation: `No rule matched; kept the ${t.categorySource ?? 'import'} category "${t.category}".`,
      };
    }
    return { ...t, matchedRuleId: null, categoryExplanation: 'No rule matched; uncategorised.' };
  });
}
