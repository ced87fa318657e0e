import { Migration } from '@mikro-orm/migrations';

// Dormant accounts (router/users/dormant-accounts.ts, DORMANT_ACCOUNT_DAYS): users.enabled_at says
// when an admin last enabled the account, so that an account enabled again is not disabled again at
// the next round for the sign-in it has not had time to make. Null: never enabled by an admin (the
// account's creation is its start).
export class Migration20270115100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "enabled_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "enabled_at";`);
  }
}
