import { Migration } from '@mikro-orm/migrations';

// Machine clients (router/clients): a product's backend that calls the API gets its access tokens
// by its own credentials (RFC 6749 §4.4, client credentials), not from a person's account nor from
// an operator holding JWT_SECRET. Its secret is stored only as a keyed hash (as refresh tokens are).
// Its tokens name it (`sub`: `client:<id>`, kept in `subject` for the session check's lookup) and
// carry its `epoch`, which a rotation of the secret moves: the session check refuses every token of
// a removed client, or of one whose secret was rotated, from the next call on.
export class Migration20270105100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "api_clients" (
      "id" uuid primary key default gen_random_uuid(),
      "subject" text not null generated always as ('client:' || "id"::text) stored,
      "name" text not null check (char_length("name") between 1 and 100),
      "secret_hash" text not null,
      "epoch" uuid not null,
      "created_at" timestamptz not null default now(),
      "created_by" varchar(64) not null,
      "last_token_at" timestamptz null
    );`);
    this.addSql(`create unique index "api_clients_subject_unique" on "api_clients" ("subject");`);
    this.addSql(`create unique index "api_clients_secret_hash_unique" on "api_clients" ("secret_hash");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "api_clients";`);
  }
}
