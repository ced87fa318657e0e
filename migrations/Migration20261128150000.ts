import { Migration } from '@mikro-orm/migrations';

// A page index over users in list order (created_at, id), kept exact by triggers in the same
// transaction as every insert and delete. Each row of `user_pages` says "from this key on,
// up to the next page's first key, there are n users". A list at offset O then sums the pages
// before O (a few hundred rows) and walks at most one page of the (created_at, id) index,
// instead of every row before O; the total is the sum of all pages. It replaces the plain count.
//
// Invariant: a user belongs to the page with the greatest first key <= its own key; the first
// page's key is <= every user's key; n is the number of users on the page. Maintenance is
// serialised by a transaction-level advisory lock, so every trigger sees the pages as the
// previous writer left them.
const PAGE = 1000;

export class Migration20261128150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger "users_count_truncate" on "users";`);
    this.addSql(`drop trigger "users_count_delete" on "users";`);
    this.addSql(`drop trigger "users_count_insert" on "users";`);
    this.addSql(`drop function "user_counts_reset"(), "user_counts_remove"(), "user_counts_add"();`);
    this.addSql(`drop table "user_counts";`);

    this.addSql(`create table "user_pages" (
      "first_created_at" timestamptz not null,
      "first_id" varchar(64) not null,
      "n" int not null check ("n" >= 0),
      primary key ("first_created_at", "first_id"));`);

    // from scratch: for bulk loads, and any change of a user's key
    this.addSql(`create function "user_pages_rebuild"() returns void language plpgsql as $$
      begin
        delete from "user_pages";
        insert into "user_pages" ("first_created_at", "first_id", "n")
          select distinct on ("page") "created_at", "id", count(*) over (partition by "page")
          from (select "created_at", "id", (row_number() over (order by "created_at", "id") - 1) / ${PAGE} as "page"
                from "users") as "numbered"
          order by "page", "created_at", "id";
      end $$;`);

    this.addSql(`create function "user_pages_insert"() returns trigger language plpgsql as $$
      declare
        r record;
        page record;
      begin
        perform pg_advisory_xact_lock(hashtext('user_pages'));
        if (select count(*) from "inserted") > ${PAGE} then
          perform "user_pages_rebuild"();
          return null;
        end if;
        for r in select "created_at", "id" from "inserted" order by "created_at", "id" loop
          select * into page from "user_pages"
            where ("first_created_at", "first_id") <= (r."created_at", r."id")
            order by "first_created_at" desc, "first_id" desc limit 1;
          if not found then
            -- before every page: the first page now starts here (or this is the first user)
            select * into page from "user_pages" order by "first_created_at", "first_id" limit 1;
            if not found then
              insert into "user_pages" values (r."created_at", r."id", 1);
            else
              update "user_pages" set "first_created_at" = r."created_at", "first_id" = r."id", "n" = "n" + 1
                where ("first_created_at", "first_id") = (page."first_created_at", page."first_id");
            end if;
          elsif page."n" >= ${PAGE} and not exists (
            select 1 from "users" where ("created_at", "id") > (r."created_at", r."id")) then
            -- a full page, and the newest user: a new page starts with it
            insert into "user_pages" values (r."created_at", r."id", 1);
          else
            update "user_pages" set "n" = "n" + 1
              where ("first_created_at", "first_id") = (page."first_created_at", page."first_id");
          end if;
        end loop;
        return null;
      end $$;`);

    this.addSql(`create function "user_pages_delete"() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('user_pages'));
        update "user_pages" as "p" set "n" = "p"."n" - "gone"."n"
          from (select "page"."first_created_at", "page"."first_id", count(*) as "n"
                from "removed" as "r"
                cross join lateral (
                  select "first_created_at", "first_id" from "user_pages"
                  where ("first_created_at", "first_id") <= (r."created_at", r."id")
                  order by "first_created_at" desc, "first_id" desc limit 1) as "page"
                group by 1, 2) as "gone"
          where ("p"."first_created_at", "p"."first_id") = ("gone"."first_created_at", "gone"."first_id");
        -- an empty page holds no key range of its own: the page before it takes over its range
        delete from "user_pages" where "n" = 0;
        return null;
      end $$;`);

    this.addSql(`create function "user_pages_clear"() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('user_pages'));
        delete from "user_pages";
        return null;
      end $$;`);

    this.addSql(`create function "user_pages_key_changed"() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('user_pages'));
        perform "user_pages_rebuild"();
        return null;
      end $$;`);

    this.addSql(`create trigger "users_pages_insert" after insert on "users" referencing new table as "inserted"
      for each statement execute function "user_pages_insert"();`);
    this.addSql(`create trigger "users_pages_delete" after delete on "users" referencing old table as "removed"
      for each statement execute function "user_pages_delete"();`);
    this.addSql(`create trigger "users_pages_truncate" after truncate on "users"
      for each statement execute function "user_pages_clear"();`);
    this.addSql(`create trigger "users_pages_key_update" after update of "created_at", "id" on "users"
      for each statement execute function "user_pages_key_changed"();`);

    this.addSql(`select "user_pages_rebuild"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "users_pages_key_update" on "users";`);
    this.addSql(`drop trigger "users_pages_truncate" on "users";`);
    this.addSql(`drop trigger "users_pages_delete" on "users";`);
    this.addSql(`drop trigger "users_pages_insert" on "users";`);
    this.addSql(`drop function "user_pages_key_changed"(), "user_pages_clear"(), "user_pages_delete"(),
      "user_pages_insert"(), "user_pages_rebuild"();`);
    this.addSql(`drop table "user_pages";`);
  }
}
