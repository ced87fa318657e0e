import { Migration } from '@mikro-orm/migrations';

// `q` at the speed the issue asks (issue 20: p50 ≤ 20 ms for a `q` matching under 1% of 2,000,000
// users, with its exact total). A trigram index only finds candidates: PostgreSQL rechecks each
// against its row, so a search costs a visit of a heap page per match, and with the names in `users`
// and the addresses in `emails` a match cost two tables' pages and a join between them (about 13 µs a
// match: 101 ms for a last name's 7,600 users). `user_search` holds, one narrow row per user, what a
// search reads: the two texts `q` matches, and every other filter's and sort's column, so a search
// reads one table of about 250 bytes less per user, through one bitmap of both trigram indexes, and
// only the page's users are read whole (docs/performance.md, "Issue 20: q").
//
// The table is kept by triggers on users and emails in the writing transaction itself, so a search
// sees exactly what a read of the users sees in the same snapshot: a user inserted or deleted, a
// searched column changed (only when one of them changed), the users truncated; each row's through
// primary keys. The trigram indexes move here from users and emails, which
// nothing else read them for.
const SEARCHED = ['id', 'name', 'age', 'created_at', 'email_id', 'disabled_at', 'disabled_until'] as const;

export class Migration20261223100000 extends Migration {
  override async up(): Promise<void> {
    // keyed by the email's id: one per user (users.email_id is unique), an integer drawn in order,
    // so a create adds at the right edge of a small index rather than at a random place in an index
    // of user ids (creates at 50 connections against the schema without issue 20's additions: 0.68×
    // keyed by user id, 0.70× keyed so, on a shared machine: docs/performance.md)
    this.addSql(`create table "user_search" (
      "email_id" int primary key,
      "id" varchar(64) not null,
      "created_at" timestamptz not null,
      "name" varchar(32) not null,
      "age" smallint not null,
      "address" varchar(254) not null,
      "auth_method" smallint not null,
      "disabled_at" timestamptz,
      "disabled_until" timestamptz
    );`);

    const row = `u."email_id", u."id", u."created_at", u."name", u."age", e."address", e."auth_method", u."disabled_at", u."disabled_until"`;
    // per row, each through the email's primary key: a statement-level trigger joining its
    // transition table to emails was planned for a thousand rows (a hash join over every email)
    // and made a create at 50 connections 2.5× slower
    this.addSql(`create function "user_search_inserted"() returns trigger language plpgsql as $$
      begin
        insert into "user_search"
          select new."email_id", new."id", new."created_at", new."name", new."age", e."address", e."auth_method",
                 new."disabled_at", new."disabled_until"
          from "emails" e where e."id" = new."email_id";
        return null;
      end $$;`);
    this.addSql(`create function "user_search_deleted"() returns trigger language plpgsql as $$
      begin
        delete from "user_search" where "email_id" = old."email_id";
        return null;
      end $$;`);
    this.addSql(`create function "user_search_user_changed"() returns trigger language plpgsql as $$
      begin
        update "user_search" s set "email_id" = new."email_id", "id" = new."id", "created_at" = new."created_at",
          "name" = new."name", "age" = new."age", "disabled_at" = new."disabled_at",
          "disabled_until" = new."disabled_until", "address" = e."address", "auth_method" = e."auth_method"
        from "emails" e where s."email_id" = old."email_id" and e."id" = new."email_id";
        return null;
      end $$;`);
    this.addSql(`create function "user_search_email_changed"() returns trigger language plpgsql as $$
      begin
        update "user_search" s set "address" = new."address", "auth_method" = new."auth_method"
        where s."email_id" = new."id";
        return null;
      end $$;`);
    // TRUNCATE holds users exclusively: no other writer is between the two
    this.addSql(`create function "user_search_truncated"() returns trigger language plpgsql as $$
      begin
        truncate "user_search";
        return null;
      end $$;`);

    const changed = SEARCHED.map((column) => `old."${column}" is distinct from new."${column}"`).join(' or ');
    this.addSql(`create trigger "users_search_inserted" after insert on "users"
      for each row execute function "user_search_inserted"();`);
    this.addSql(`create trigger "users_search_deleted" after delete on "users"
      for each row execute function "user_search_deleted"();`);
    this.addSql(`create trigger "users_search_changed" after update of ${SEARCHED.map((c) => `"${c}"`).join(', ')}
      on "users" for each row when (${changed}) execute function "user_search_user_changed"();`);
    this.addSql(`create trigger "emails_search_changed" after update of "address", "auth_method" on "emails"
      for each row when (old."address" is distinct from new."address" or old."auth_method" is distinct from new."auth_method")
      execute function "user_search_email_changed"();`);
    this.addSql(`create trigger "users_search_truncated" after truncate on "users"
      for each statement execute function "user_search_truncated"();`);

    this.addSql(
      `insert into "user_search" select ${row} from "users" u join "emails" e on e."id" = u."email_id";`,
    );
    this.addSql(`drop index if exists "users_name_trgm_index", "emails_address_trgm_index";`);
    this.addSql(`create index "user_search_name_trgm_index" on "user_search" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "user_search_address_trgm_index" on "user_search" using gin ("address" gin_trgm_ops);`);
    this.addSql(`analyze "user_search";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "users_search_truncated" on "users";`);
    this.addSql(`drop trigger "emails_search_changed" on "emails";`);
    this.addSql(`drop trigger "users_search_changed" on "users";`);
    this.addSql(`drop trigger "users_search_deleted" on "users";`);
    this.addSql(`drop trigger "users_search_inserted" on "users";`);
    this.addSql(`drop function "user_search_truncated"(), "user_search_email_changed"(), "user_search_user_changed"(),
      "user_search_deleted"(), "user_search_inserted"();`);
    this.addSql(`drop table "user_search";`);
    this.addSql(`create index "users_name_trgm_index" on "users" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "emails_address_trgm_index" on "emails" using gin ("address" gin_trgm_ops);`);
  }
}
