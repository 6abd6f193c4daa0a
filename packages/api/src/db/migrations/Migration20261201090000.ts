// Company enrichment: the registered office address from the registry, and how the last
// enrichment ended (a company the registry does not know is marked `not-found`, never deleted).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "companies" add column "registered_address" jsonb null;`);
    this.addSql(
      `alter table "companies" add column "enrichment_status" text check ("enrichment_status" in ('enriched', 'not-found')) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "companies" drop column "registered_address", drop column "enrichment_status";`);
  }
}
