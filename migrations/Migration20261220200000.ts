import { Migration } from '@mikro-orm/migrations';

// Issue 22: accounts an admin can disable, and forgotten passwords.
// - users.disabled_at / disabled_reason / disabled_until: a disabled account (disabled_at set)
//   signs in by no method until an admin enables it, or until disabled_until passes (compared
//   with the clock at sign-in: no job re-enables it).
// - password_resets: the pending reset code of an email per requester ('' for any client, or the
//   device id of a browser known for the address), as email_codes: a keyed hash, an expiry and a
//   count of wrong tries; reached only by router/auth/mailed-code-store.ts.
export class Migration20261220200000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "users" add column "disabled_at" timestamptz null, add column "disabled_reason" varchar(200) null, add column "disabled_until" timestamptz null;`,
    );
    this.addSql(
      `create table "password_resets" ("email_id" int not null, "device" text not null default '', "code_hash" text not null, "expires_at" timestamptz not null, "failures" smallint not null default 0, "created_at" timestamptz not null default now(), constraint "password_resets_pkey" primary key ("email_id", "device"));`,
    );
    this.addSql(
      `alter table "password_resets" add constraint "password_resets_email_id_foreign" foreign key ("email_id") references "emails" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "password_resets";`);
    this.addSql(
      `alter table "users" drop column "disabled_at", drop column "disabled_reason", drop column "disabled_until";`,
    );
  }
}
