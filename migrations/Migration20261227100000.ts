import { Migration } from '@mikro-orm/migrations';

// Webhook deliveries are removed with the events they copy (EVENT_RETENTION_DAYS,
// server/start/retention.ts): each carries the event's data, which must not outlive the
// event. Found by age through a BRIN index on `created_at`, as the events are (Migration20261221100000):
// rows are added in time order, so it stays tiny and costs a create next to nothing.
export class Migration20261227100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "webhook_deliveries_created_at_brin_index" on "webhook_deliveries" using brin ("created_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_deliveries_created_at_brin_index";`);
  }
}
