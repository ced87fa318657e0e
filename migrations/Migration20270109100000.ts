import { Migration } from '@mikro-orm/migrations';

// Invitations (router/invitations/): an admin or a machine client asks a person to make an account
// with an address, by a link mailed to it. One live invitation per address (its key, as
// entities/email-key.ts makes it); the link's token is kept only as a keyed hash. Accepted or revoked,
// the row goes (the events keep what happened); an expired one stays for an admin to send again,
// until the retention round removes it 30 days after it expired. `metadata`: the parts of the user's
// metadata only an admin sets (`app`, `admin`) that the account starts with.
export class Migration20270109100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "invitations" (
      "id" uuid primary key default gen_random_uuid(),
      "address" text not null,
      "address_key" text not null,
      "token_hash" text not null,
      "valid_days" smallint not null check ("valid_days" between 1 and 30),
      "invited_by" text not null,
      "metadata" jsonb not null default '{}',
      "created_at" timestamptz not null default now(),
      "sent_at" timestamptz not null default now(),
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create unique index "invitations_address_key_unique" on "invitations" ("address_key");`);
    this.addSql(`create unique index "invitations_token_hash_unique" on "invitations" ("token_hash");`);
    this.addSql(`create index "invitations_expires_at_index" on "invitations" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "invitations";`);
  }
}
