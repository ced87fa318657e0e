import { Migration } from '@mikro-orm/migrations';

// Sign-up (router/auth/sign-up/): the codes that prove a person holds an address before an account
// is made with it. Nothing else of the person is kept until then: the account's fields come with the
// code, so a sign-up nobody finishes leaves only this row, which expires. Kept as the other mailed
// codes are (router/auth/mailed-code-store.ts): one pending code per address (its key, as
// entities/email-key.ts makes it) and requester, as a keyed hash, with its count of wrong tries.
export class Migration20270108100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sign_up_codes" (
      "address_key" text not null,
      "device" text not null default '',
      "code_hash" text not null,
      "expires_at" timestamptz not null,
      "failures" smallint not null default 0,
      "created_at" timestamptz not null default now(),
      constraint "sign_up_codes_pkey" primary key ("address_key", "device")
    );`);
    this.addSql(`create index "sign_up_codes_expires_at_index" on "sign_up_codes" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "sign_up_codes";`);
  }
}
