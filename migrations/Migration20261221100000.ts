import { Migration } from '@mikro-orm/migrations';

// The events table (issue 21): what happened, who did it, written in the same transaction as the
// change, read by the feed, a user's history and the webhooks. Reached only through
// router/events/events-store.ts (SQL_ONLY_TABLES).
//
// `id` orders events, and the feed resumes after an id: an id may only become visible once every
// smaller id is (or never will be). A sequence hands ids out at insert, not at commit, so two
// writers could commit out of order and a reader between the two commits would pass over the
// smaller id. recordEvent (events-store.ts) therefore takes an advisory lock in share mode before it
// draws the id, as the last statement before its transaction commits, and readFeed reads its page
// under the same lock taken exclusively: every id a reader sees has every smaller id decided.
// The feed reads `where id > $1 order by id limit $2` on the primary key,
// so a page costs the same at 100k events and at 10M.
//
// (user_id, id) and (type, id) serve a user's history and the feed filtered by type the same way.
export class Migration20261221100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "events" (
      "id" bigint generated always as identity primary key,
      "type" text not null,
      "time" timestamptz not null default now(),
      "actor" text not null,
      "user_id" text null,
      "request_id" text null,
      "client_address" text null,
      "data" jsonb not null default '{}'
    );`);
    this.addSql(`create index "events_user_id_id_index" on "events" ("user_id", "id");`);
    this.addSql(`create index "events_type_id_index" on "events" ("type", "id");`);
    // retention finds old events by time: a BRIN index, tiny and nearly free on an append-only table
    this.addSql(`create index "events_time_brin_index" on "events" using brin ("time");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "events";`);
  }
}
