// Type tests: what must not compile. Checked by `vitest --typecheck` and `tsc`.
import { addMoney, money } from './money.js';

const gbp = money(100, 'GBP');
const eur = money(100, 'EUR');
addMoney(gbp, gbp);
// @ts-expect-error mixing currencies is a type error where the compiler can tell
addMoney(gbp, eur);
// @ts-expect-error unknown currency codes do not type-check
money(100, 'XXX');
