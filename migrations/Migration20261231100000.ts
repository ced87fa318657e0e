import { Migration } from '@mikro-orm/migrations';

// A webhook endpoint's signing secret can be rotated without losing a delivery: the secret a
// rotation replaces stays, sealed like the current one, until previous_secret_expires_at, and
// every delivery until then is signed with both (Standard Webhooks carries several signatures), so
// receivers move to the new secret at their own pace. Both columns are set together or not at all.
export class Migration20261231100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_endpoints"
      add column "previous_secret" text null,
      add column "previous_secret_expires_at" timestamptz null,
      add constraint "webhook_endpoints_previous_secret_check"
        check (("previous_secret" is null) = ("previous_secret_expires_at" is null));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_endpoints"
      drop constraint "webhook_endpoints_previous_secret_check",
      drop column "previous_secret",
      drop column "previous_secret_expires_at";`);
  }
}
