import { Migration } from '@mikro-orm/migrations';

// Sessions (issue 22): what a sign-in began, renewed by refresh tokens. A session is one row; its
// refresh tokens are rows of `session_tokens`, each stored only as a keyed hash, the current one
// unspent and every earlier one spent (so a spent one presented again is recognised as reuse).
// Ending a session deletes its row, and its tokens with it; deleting a user ends its sessions.
export class Migration20261220100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sessions" ("id" uuid not null default gen_random_uuid(), "user_id" varchar(64) not null, "epoch" uuid not null, "method" text not null, "auth_time" timestamptz not null, "created_at" timestamptz not null, "last_used_at" timestamptz not null, "expires_at" timestamptz not null, "client_address" text not null, "user_agent" text not null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create table "session_tokens" ("hash" text not null, "session_id" uuid not null, "spent_at" timestamptz null, constraint "session_tokens_pkey" primary key ("hash"));`);
    this.addSql(`alter table "session_tokens" add constraint "session_tokens_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on delete cascade;`);
    this.addSql(`create index "session_tokens_session_id_index" on "session_tokens" ("session_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "session_tokens", "sessions";`);
  }
}
