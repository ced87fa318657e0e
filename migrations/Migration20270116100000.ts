import { Migration } from '@mikro-orm/migrations';

// Dormant accounts' warnings (router/users/dormant-accounts.ts): when a user was last warned that
// its account would be disabled for want of a sign-in. A warning counts for the stretch of dormancy
// it was sent in (it is later than the user's last activity); the account is disabled only once one
// is DORMANT_WARNING_DAYS old. Deleting the user deletes it.
export class Migration20270116100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "dormancy_warnings" (
      "user_id" varchar(64) primary key references "users" ("id") on update cascade on delete cascade,
      "warned_at" timestamptz not null
    );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "dormancy_warnings";`);
  }
}
