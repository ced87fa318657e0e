import { Migration } from '@mikro-orm/migrations';

// A person's own change of address (router/auth/email-change/): the code mailed to the new address,
// which proves the person reads it before any account signs in with it. One pending change per user,
// kept as the other mailed codes are (router/auth/mailed-code-store.ts): a keyed hash, bound to the
// new address, with its count of wrong tries; gone with its user.
export class Migration20270110100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "email_change_codes" (
      "user_id" varchar(64) not null,
      "device" text not null default '',
      "code_hash" text not null,
      "expires_at" timestamptz not null,
      "failures" smallint not null default 0,
      "created_at" timestamptz not null default now(),
      constraint "email_change_codes_pkey" primary key ("user_id", "device"),
      constraint "email_change_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade
    );`);
    this.addSql(`create index "email_change_codes_expires_at_index" on "email_change_codes" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "email_change_codes";`);
  }
}
