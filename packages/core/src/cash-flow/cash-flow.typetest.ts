// Type tests: what must not compile. Checked by `vitest --typecheck` and `tsc`.
import { cashFlowAnalytics } from './analytics.js';
import { categorise, type CategoryRule } from './categorise.js';
import { cashFlowRiskGrade } from './risk-grade.js';
import type { Transaction } from './transaction.js';

const tx: Transaction = {
  accountRef: 'acc',
  bookingDate: '2025-01-02',
  amount: -100,
  currency: 'GBP',
  description: 'x',
};
// @ts-expect-error unknown currency codes do not type-check
const bad: Transaction = { ...tx, currency: 'XXX' };
// @ts-expect-error categorySource is manual | rule | import
const guessed: Transaction = { ...tx, category: 'c', categorySource: 'guess' };

// @ts-expect-error granularity is month | quarter | week
cashFlowAnalytics({ transactions: [tx], from: '2025-01-01', to: '2025-01-31', granularity: 'day' });

const rule: CategoryRule = {
  id: 'r',
  field: 'description',
  match: 'keyword',
  pattern: 'x',
  category: 'c',
  priority: 1,
};
// @ts-expect-error rules read the description or the counterparty only
categorise([tx], [{ ...rule, field: 'memo' }]);

// @ts-expect-error CF5 has no minimum DSCR to override: it is everything below CF4
cashFlowRiskGrade(1.2, {}, { minDscr: { CF5: 1 } });

export { bad, guessed };
