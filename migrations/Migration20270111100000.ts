import { Migration } from '@mikro-orm/migrations';

// Sign-up with the OpenID provider (router/auth/oauth2/oauth2-sign-up.ts): a verified identity that
// has no account yet, while sign-up is open, waits here with what its profile offered (a name, an
// age, a gender; each null when it offered none) for the person to check and complete, for 10
// minutes, bound to the browser that signed in (the hash of its cookie). The ticket in the return
// URL is kept only as its keyed hash, and used once.
export class Migration20270111100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "oauth_sign_ups" (
      "ticket_hash" text not null,
      "browser_hash" text not null,
      "issuer" text not null,
      "subject" text not null,
      "address" text not null,
      "name" text null,
      "age" smallint null,
      "gender" smallint null,
      "expires_at" timestamptz not null,
      "created_at" timestamptz not null default now(),
      constraint "oauth_sign_ups_pkey" primary key ("ticket_hash")
    );`);
    this.addSql(`create index "oauth_sign_ups_expires_at_index" on "oauth_sign_ups" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "oauth_sign_ups";`);
  }
}
