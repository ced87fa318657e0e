import { Migration } from '@mikro-orm/migrations';

// When each user last signed in, how, and how many times (router/sessions/sign-in-activity.ts): what
// an admin asks of an account ("is this one still used?") and what finds the dormant ones (the
// list's `signedInSince` / `notSignedInSince`). Written by the statement that begins a sign-in's
// session, never by an impersonation or a refresh. A row of its own, made at the first sign-in:
// every sign-in rewrites it, and the users row (its version, the list's and the search's
// triggers, an admin's edit holding its lock) stays out of that. Deleting the user deletes it.
export class Migration20270114100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "user_sign_ins" (
      "user_id" varchar(64) primary key references "users" ("id") on update cascade on delete cascade,
      "last_at" timestamptz not null,
      "last_method" text not null check ("last_method" in ('password', 'totp', 'email_code', 'oauth2', 'passkey')),
      "count" integer not null default 1 check ("count" > 0)
    );`);
    // `signedInSince`: the few users active lately are found from here, not by probing every user
    this.addSql(`create index "user_sign_ins_last_at_index" on "user_sign_ins" ("last_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "user_sign_ins";`);
  }
}
