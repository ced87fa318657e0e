import { Migration } from '@mikro-orm/migrations';

// Sign-in by every published method, and tokens that end: a role and a credential epoch on users;
// TOTP secrets (sealed) and recovery codes (hashed); pending email codes (hashed); OAuth2
// identities, pending OAuth2 sign-ins and their one-time codes (hashed); revoked tokens.
export class Migration20261201100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "role" text check ("role" in ('admin', 'user')) not null default 'user', add column "token_epoch" uuid not null default gen_random_uuid();`);

    this.addSql(`create table "totp_credentials" ("email_id" int not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "secret" text not null, "enrollment_id" uuid not null, "confirmed_at" timestamptz null, "last_used_step" int null, constraint "totp_credentials_pkey" primary key ("email_id"));`);
    this.addSql(`alter table "totp_credentials" add constraint "totp_credentials_email_id_foreign" foreign key ("email_id") references "emails" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "recovery_codes" ("code_hash" text not null, "email_id" int not null, "created_at" timestamptz not null default now(), constraint "recovery_codes_pkey" primary key ("code_hash"));`);
    this.addSql(`create index "recovery_codes_email_id_index" on "recovery_codes" ("email_id");`);
    this.addSql(`alter table "recovery_codes" add constraint "recovery_codes_email_id_foreign" foreign key ("email_id") references "emails" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "email_codes" ("email_id" int not null, "code_hash" text not null, "expires_at" timestamptz not null, "failures" smallint not null default 0, "created_at" timestamptz not null default now(), constraint "email_codes_pkey" primary key ("email_id"));`);
    this.addSql(`alter table "email_codes" add constraint "email_codes_email_id_foreign" foreign key ("email_id") references "emails" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "oauth_identities" ("issuer" text not null, "subject" text not null, "user_id" varchar(64) not null, "created_at" timestamptz not null default now(), constraint "oauth_identities_pkey" primary key ("issuer", "subject"));`);
    this.addSql(`alter table "oauth_identities" add constraint "oauth_identities_user_id_unique" unique ("user_id");`);
    this.addSql(`alter table "oauth_identities" add constraint "oauth_identities_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "oauth_states" ("state_hash" text not null, "binding_hash" text not null, "return_to" text not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "oauth_states_pkey" primary key ("state_hash"));`);

    this.addSql(`create table "oauth_login_codes" ("code_hash" text not null, "user_id" varchar(64) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "oauth_login_codes_pkey" primary key ("code_hash"));`);
    this.addSql(`alter table "oauth_login_codes" add constraint "oauth_login_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "revoked_tokens" ("jti" uuid not null, "expires_at" timestamptz not null, constraint "revoked_tokens_pkey" primary key ("jti"));`);
    this.addSql(`create index "revoked_tokens_expires_at_index" on "revoked_tokens" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "revoked_tokens", "oauth_login_codes", "oauth_states", "oauth_identities", "email_codes", "recovery_codes", "totp_credentials";`);
    this.addSql(`alter table "users" drop column "token_epoch", drop column "role";`);
  }
}
