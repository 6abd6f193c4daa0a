// Cash-flow underwriting: what the cash-flow grade concluded for a simulation, and the KPI targets
// of a sustainability-linked simulation (the alerts evaluator reads them).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "loan_simulations" add column "cash_flow" jsonb null, add column "sustainability_linked" jsonb null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "loan_simulations" drop column "cash_flow", drop column "sustainability_linked";`,
    );
  }
}
