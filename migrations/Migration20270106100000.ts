import { Migration } from '@mikro-orm/migrations';

// Passkeys (router/auth/passkeys/): a user's WebAuthn credentials, each a public key the user's
// authenticator made for this service, and the challenges a ceremony is begun with. A credential id
// belongs to one passkey, whoever registers it again. `sign_count` is the authenticator's counter
// as last seen, to tell a cloned authenticator (WebAuthn §6.1.1); `user_handle` what the authenticator
// keeps with it to say whose it is (a keyed hash of the user id, given with the registration's
// challenge). A challenge is used at most once
// (taken by a delete) and only until `expires_at`; the retention job removes those nobody used. A
// session signed in with a passkey names it (`sessions.passkey_id`).
export class Migration20270106100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "passkeys" (
      "id" uuid primary key default gen_random_uuid(),
      "user_id" varchar(64) not null references "users" ("id") on delete cascade,
      "credential_id" text not null,
      "user_handle" text not null,
      "public_key" bytea not null,
      "sign_count" bigint not null default 0 check ("sign_count" >= 0),
      "transports" text[] not null default '{}',
      "name" text not null check (char_length("name") between 1 and 64),
      "backed_up" boolean not null,
      "created_at" timestamptz not null default now(),
      "last_used_at" timestamptz null
    );`);
    this.addSql(`create unique index "passkeys_credential_id_unique" on "passkeys" ("credential_id");`);
    this.addSql(`create index "passkeys_user_id_index" on "passkeys" ("user_id");`);
    this.addSql(`create table "passkey_challenges" (
      "challenge" text primary key,
      "purpose" text not null check ("purpose" in ('register', 'sign_in')),
      "user_id" varchar(64) null references "users" ("id") on delete cascade,
      "user_handle" text null,
      "expires_at" timestamptz not null
    );`);
    this.addSql(`create index "passkey_challenges_expires_at_index" on "passkey_challenges" ("expires_at");`);
    // the passkey a session was signed in with: removing the passkey ends those sessions (but the
    // remover's own, ended by the service itself); set null keeps any the service let stand
    this.addSql(`alter table "sessions" add column "passkey_id" uuid null references "passkeys" ("id") on delete set null;`);
    this.addSql(`create index "sessions_passkey_id_index" on "sessions" ("passkey_id") where "passkey_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sessions" drop column "passkey_id";`);
    this.addSql(`drop table "passkey_challenges", "passkeys";`);
  }
}
