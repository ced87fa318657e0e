import { Migration } from '@mikro-orm/migrations';

// The list index of users, rebuilt so that writers never queue on it (issue 12). It replaces the
// page index of Migration20261128150000, whose triggers serialised every insert and delete on
// one advisory lock and whose newest page was a row every create had to update.
//
// Three tables in list order (created_at, id), and a one-row fourth:
// - `user_page_deltas`: one row per user inserted (+1) or deleted (-1) that is not folded yet, with
//   the user's own key. A write only ever *appends* here — no row is updated, no lock is taken — so
//   any number of writers proceed in parallel, whatever they write (the service, psql, COPY,
//   `insert … select`, deletes, key updates: statement triggers with transition tables see them all).
// - `user_pages`: "from this key up to the next page's first key, n users" (about PAGE each), the
//   first page starting at ('-infinity', ''), below every key;
// - `user_chapters`: the same one level up, over runs of about CHAPTER pages (`n` is the sum of
//   their pages, `pages` how many), so a list sums a few dozen chapters and at most 2 × CHAPTER
//   pages instead of every page before its offset: its cost stays flat as the table grows;
// - `user_pages_folded`: the mark below which no delta is pending (see there).
//
// Invariant, in every snapshot: a page's n plus the deltas visible in its key range is the number
// of users visible in that range (the same for chapters). A writer commits its users and its deltas
// together, so any reader, in one statement, gets exact totals and offsets by adding the visible
// deltas to what is folded.
//
// Folding ("compaction") moves deltas into the pages and keeps the pages and chapters sized. Only
// one transaction folds at a time, under an advisory lock writers *try* (pg_try_advisory_xact_lock):
// one that cannot get it simply leaves its deltas for a later one, so nobody waits. Each statement
// of a fold is consistent in itself: it deletes exactly the deltas its snapshot sees, or counts
// users and subtracts the deltas that same snapshot sees. Only READ COMMITTED transactions fold (a
// later snapshot than the previous fold is what makes them safe); at REPEATABLE READ or
// SERIALIZABLE the deltas wait, still counted, for the next READ COMMITTED write or an explicit
// `select user_pages_compact()`.
const PAGE = 1000;
/** A page with more users than this is split into pages of about PAGE. */
const PAGE_MAX = 2 * PAGE;
const CHAPTER = 64;
/** A chapter with more pages than this is split in two. */
const CHAPTER_MAX = 2 * CHAPTER;
/** A statement that writes at least this many users always tries to fold. */
const BULK = 1000;
/** Below this many pending deltas a fold looks each up; above it (and a tenth of the table) the index is rebuilt. */
const REBUILD_MIN = 50_000;
/** Without `users.pages_compact_every` set, about one small write in this many tries to fold. */
const COMPACT_EVERY = 128;
const LOCK = `hashtext('user_pages')`;

// the key of a page or chapter row, and "the row whose range holds key (a, b)"
const KEY = `"first_created_at", "first_id"`;
// the deltas not folded yet, as the current statement's snapshot sees them
// (the upper bound is the largest xid8: with it, the planner estimates a narrow range, and reads the index)
const PENDING = `"user_page_deltas"
  where "tx" between (select "below" from "user_pages_folded") and '18446744073709551615'::xid8`;
// what a statement that deleted every pending delta its snapshot sees records (see user_pages_folded)
const FOLDED = `update "user_pages_folded" set "below" = least(pg_snapshot_xmin(pg_current_snapshot()), pg_current_xact_id())`;
const holding = (table: string, a: string, b: string) =>
  `select ${KEY} from "${table}" where (${KEY}) <= (${a}, ${b}) order by "first_created_at" desc, "first_id" desc limit 1`;

export class Migration20261201120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger "users_pages_key_update" on "users";`);
    this.addSql(`drop trigger "users_pages_truncate" on "users";`);
    this.addSql(`drop trigger "users_pages_delete" on "users";`);
    this.addSql(`drop trigger "users_pages_insert" on "users";`);
    this.addSql(`drop function "user_pages_key_changed"(), "user_pages_clear"(), "user_pages_delete"(),
      "user_pages_insert"(), "user_pages_rebuild"();`);
    this.addSql(`drop table "user_pages";`);

    // A queue: every row is deleted again within moments, so it is read through the index on the
    // writing transaction's id from \`user_pages_folded.below\` on, never scanned whole (its dead
    // rows lie below that mark), and vacuumed early.
    this.addSql(`create table "user_page_deltas" (
      "tx" xid8 not null default pg_current_xact_id(),
      "created_at" timestamptz not null,
      "id" varchar(64) not null,
      "d" smallint not null)
      with (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
            autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 2000);`);
    this.addSql(`create index "user_page_deltas_tx_index" on "user_page_deltas" ("tx");`);
    // Every delta not folded yet was written by a transaction whose id is at least \`below\`: a fold
    // sets it to the oldest transaction still running when its snapshot was taken (or its own),
    // since every transaction older than that had committed — and been folded — or aborted.
    this.addSql(`create table "user_pages_folded" (
      "one" boolean primary key default true check ("one"),
      "below" xid8 not null);`);
    this.addSql(`insert into "user_pages_folded" ("below") values (pg_current_xact_id());`);
    this.addSql(`create table "user_pages" (
      "first_created_at" timestamptz not null,
      "first_id" varchar(64) not null,
      "n" int not null check ("n" >= 0),
      primary key (${KEY}));`);
    this.addSql(`create table "user_chapters" (
      "first_created_at" timestamptz not null,
      "first_id" varchar(64) not null,
      "n" int not null check ("n" >= 0),
      "pages" int not null check ("pages" >= 1),
      primary key (${KEY}));`);

    // From scratch: the old pages and chapters go; then, in one statement and so one snapshot, the
    // pending deltas go and the users that snapshot sees are counted into pages; the chapters are
    // made from the pages (only the lock holder writes pages, so any snapshot will do).
    this.addSql(`create function "user_pages_rebuild_locked"() returns void language plpgsql set jit = off as $$
      begin
        delete from "user_chapters";
        delete from "user_pages";
        with "gone" as (delete from ${PENDING}),
        "folded" as (${FOLDED}),
        "numbered" as (
          select "created_at", "id", (row_number() over (order by "created_at", "id") - 1) / ${PAGE} as "page"
          from "users")
        insert into "user_pages" (${KEY}, "n")
          select case when "page" = 0 then '-infinity' else "created_at" end,
                 case when "page" = 0 then '' else "id" end, "n"
          from (select distinct on ("page") "page", "created_at", "id", count(*) over (partition by "page") as "n"
                from "numbered" order by "page", "created_at", "id") as "heads";
        insert into "user_pages" values ('-infinity', '', 0) on conflict do nothing;
        insert into "user_chapters" (${KEY}, "n", "pages")
          select distinct on ("chapter") ${KEY}, sum("n") over "c", count(*) over "c"
          from (select ${KEY}, "n", (row_number() over (order by ${KEY}) - 1) / ${CHAPTER} as "chapter"
                from "user_pages") as "numbered"
          window "c" as (partition by "chapter")
          order by "chapter", ${KEY};
      end $$;`);

    // A page of more than PAGE_MAX users is cut PAGE users after its first key, and the rest again
    // while it is still too big: one walk of PAGE entries of the (created_at, id) index per cut. In
    // one statement per cut: the lower part folds PAGE users less the deltas this snapshot sees below
    // the cut, the upper part the rest of what the page folded. Nothing is cut unless the page, as
    // this snapshot sees it, still has a user past the cut.
    this.addSql(`create function "user_pages_split"("a" timestamptz, "b" varchar) returns void language plpgsql as $$
      declare
        "next_a" timestamptz;
        "next_b" varchar;
        "chapter_a" timestamptz;
        "chapter_b" varchar;
        "cut_a" timestamptz;
        "cut_b" varchar;
        "upper_n" int;
      begin
        select ${KEY} into "next_a", "next_b" from "user_pages" where (${KEY}) > ("a", "b")
          order by ${KEY} limit 1;
        select ${KEY} into "chapter_a", "chapter_b" from (${holding('user_chapters', '"a"', '"b"')}) as "c";
        loop
          with "cut" as (
            select "m"."created_at", "m"."id",
                   ${PAGE} - coalesce((select sum("d") from ${PENDING}
                                         and ("created_at", "id") >= ("a", "b")
                                         and ("created_at", "id") < ("m"."created_at", "m"."id")), 0) as "lower_n"
            from (select "u"."created_at", "u"."id" from "users" as "u"
                  where ("u"."created_at", "u"."id") >= ("a", "b")
                  order by "u"."created_at", "u"."id" offset ${PAGE} limit 1) as "m"
            where "next_a" is null or ("m"."created_at", "m"."id") < ("next_a", "next_b")),
          "lower" as (
            update "user_pages" set "n" = (select "lower_n" from "cut")
            where (${KEY}) = ("a", "b") and exists (select 1 from "cut")),
          "chapter" as (
            update "user_chapters" set "pages" = "pages" + 1
            where (${KEY}) = ("chapter_a", "chapter_b") and exists (select 1 from "cut"))
          insert into "user_pages" (${KEY}, "n")
            select "cut"."created_at", "cut"."id", "p"."n" - "cut"."lower_n"
            from "cut" cross join "user_pages" as "p" where ("p"."first_created_at", "p"."first_id") = ("a", "b")
            returning ${KEY}, "n" into "cut_a", "cut_b", "upper_n";
          exit when not found or "upper_n" <= ${PAGE_MAX};
          "a" := "cut_a";
          "b" := "cut_b";
        end loop;
      end $$;`);

    // A small page joins its predecessor, or its successor joins it, if together they hold at most
    // PAGE users; never across a chapter's first page, so chapters keep whole pages.
    this.addSql(`create function "user_pages_merge"("a" timestamptz, "b" varchar) returns void language plpgsql as $$
      declare
        "this_n" int;
        "other_a" timestamptz;
        "other_b" varchar;
        "other_n" int;
        "chapter_a" timestamptz;
        "chapter_b" varchar;
      begin
        select "n" into "this_n" from "user_pages" where (${KEY}) = ("a", "b");
        if not found then return; end if;
        select ${KEY} into "chapter_a", "chapter_b" from (${holding('user_chapters', '"a"', '"b"')}) as "c";
        if ("chapter_a", "chapter_b") <> ("a", "b") then
          select ${KEY}, "n" into "other_a", "other_b", "other_n" from "user_pages"
            where (${KEY}) < ("a", "b") order by "first_created_at" desc, "first_id" desc limit 1;
          if "other_n" + "this_n" <= ${PAGE} then
            update "user_pages" set "n" = "n" + "this_n" where (${KEY}) = ("other_a", "other_b");
            delete from "user_pages" where (${KEY}) = ("a", "b");
            update "user_chapters" set "pages" = "pages" - 1 where (${KEY}) = ("chapter_a", "chapter_b");
            return;
          end if;
        end if;
        select ${KEY}, "n" into "other_a", "other_b", "other_n" from "user_pages"
          where (${KEY}) > ("a", "b") order by ${KEY} limit 1;
        if found and "other_n" + "this_n" <= ${PAGE}
           and not exists (select 1 from "user_chapters" where (${KEY}) = ("other_a", "other_b")) then
          update "user_pages" set "n" = "n" + "other_n" where (${KEY}) = ("a", "b");
          delete from "user_pages" where (${KEY}) = ("other_a", "other_b");
          update "user_chapters" set "pages" = "pages" - 1 where (${KEY}) = ("chapter_a", "chapter_b");
        end if;
      end $$;`);

    // A chapter of more than CHAPTER_MAX pages is split at its middle page; one of few pages joins
    // its predecessor if together they have at most CHAPTER pages. Pages only: any snapshot will do.
    this.addSql(`create function "user_chapters_balance"("a" timestamptz, "b" varchar) returns void language plpgsql as $$
      declare
        "this_pages" int;
        "this_n" int;
        "mid_a" timestamptz;
        "mid_b" varchar;
        "upper_n" int;
        "other_a" timestamptz;
        "other_b" varchar;
        "other_pages" int;
      begin
        select "pages", "n" into "this_pages", "this_n" from "user_chapters" where (${KEY}) = ("a", "b");
        if not found then return; end if;
        if "this_pages" > ${CHAPTER_MAX} then
          select ${KEY} into "mid_a", "mid_b" from "user_pages" where (${KEY}) >= ("a", "b")
            order by ${KEY} offset "this_pages" / 2 limit 1;
          select sum("n") into "upper_n" from (select "n" from "user_pages" where (${KEY}) >= ("mid_a", "mid_b")
            order by ${KEY} limit "this_pages" - "this_pages" / 2) as "upper";
          insert into "user_chapters" values ("mid_a", "mid_b", "upper_n", "this_pages" - "this_pages" / 2);
          update "user_chapters" set "n" = "n" - "upper_n", "pages" = "this_pages" / 2 where (${KEY}) = ("a", "b");
          -- halves of a chapter that grew by many pages at once may still be too long
          perform "user_chapters_balance"("a", "b");
          perform "user_chapters_balance"("mid_a", "mid_b");
        elsif "this_pages" <= ${CHAPTER} / 2 and ("a", "b") <> ('-infinity'::timestamptz, ''::varchar) then
          select ${KEY}, "pages" into "other_a", "other_b", "other_pages" from "user_chapters"
            where (${KEY}) < ("a", "b") order by "first_created_at" desc, "first_id" desc limit 1;
          if "other_pages" + "this_pages" <= ${CHAPTER} then
            update "user_chapters" set "n" = "n" + "this_n", "pages" = "pages" + "this_pages"
              where (${KEY}) = ("other_a", "other_b");
            delete from "user_chapters" where (${KEY}) = ("a", "b");
          end if;
        end if;
      end $$;`);

    // The fold, under the lock. Its plans are fixed by hand, not left to statistics: without JIT
    // (its statements are small, but the planner cannot know how few rows are pending, and
    // compiling them would cost far more than running them), and without sequential scans (the
    // index tables are small and often not analysed yet; a page looked up by a scan and a sort
    // instead of one probe of its key costs more with every page): the deltas this snapshot sees are deleted and added to the pages and
    // chapters holding their keys, in one statement; then only the pages and chapters it touched
    // are split or merged. Many pending deltas (a bulk load) are cheaper to rebuild from.
    this.addSql(`create function "user_pages_compact_locked"() returns void language plpgsql
      set jit = off set enable_seqscan = off as $$
      declare
        "pending" bigint;
        "total" bigint;
        "page_a" timestamptz[];
        "page_b" varchar[];
        "page_n" int[];
        "chapter_a" timestamptz[];
        "chapter_b" varchar[];
      begin
        select (select count(*) from ${PENDING}), (select coalesce(sum("n"), 0) from "user_chapters")
          into "pending", "total";
        if "pending" = 0 then return; end if;
        if "pending" > greatest(${REBUILD_MIN}, "total" / 10) then
          perform "user_pages_rebuild_locked"();
          return;
        end if;
        with "gone" as (delete from ${PENDING} returning "created_at", "id", "d"),
        "folded" as (${FOLDED}),
        "by_page" as (
          select "p"."first_created_at", "p"."first_id", sum("g"."d")::int as "d"
          from "gone" as "g" cross join lateral (${holding('user_pages', '"g"."created_at"', '"g"."id"')}) as "p"
          group by 1, 2),
        "by_chapter" as (
          select "c"."first_created_at", "c"."first_id", sum("bp"."d")::int as "d"
          from "by_page" as "bp"
          cross join lateral (${holding('user_chapters', '"bp"."first_created_at"', '"bp"."first_id"')}) as "c"
          group by 1, 2),
        "chapters_done" as (
          update "user_chapters" as "c" set "n" = "c"."n" + "bc"."d" from "by_chapter" as "bc"
          where ("c"."first_created_at", "c"."first_id") = ("bc"."first_created_at", "bc"."first_id")
          returning "c"."first_created_at", "c"."first_id"),
        "pages_done" as (
          update "user_pages" as "p" set "n" = "p"."n" + "bp"."d" from "by_page" as "bp"
          where ("p"."first_created_at", "p"."first_id") = ("bp"."first_created_at", "bp"."first_id")
          returning "p"."first_created_at", "p"."first_id", "p"."n")
        select (select array_agg("first_created_at") from "chapters_done"),
               (select array_agg("first_id") from "chapters_done"),
               "pa", "pb", "pn"
        into "chapter_a", "chapter_b", "page_a", "page_b", "page_n"
        from (select array_agg("first_created_at") as "pa", array_agg("first_id") as "pb", array_agg("n") as "pn"
              from "pages_done" where "n" > ${PAGE_MAX} or "n" < ${PAGE / 2}) as "resize";
        for "i" in 1 .. coalesce(array_length("page_a", 1), 0) loop
          if "page_n"["i"] > ${PAGE_MAX} then
            perform "user_pages_split"("page_a"["i"], "page_b"["i"]);
          else
            perform "user_pages_merge"("page_a"["i"], "page_b"["i"]);
          end if;
        end loop;
        -- only cuts and merges change how many pages a chapter has
        if array_length("page_a", 1) > 0 then
          for "i" in 1 .. coalesce(array_length("chapter_a", 1), 0) loop
            perform "user_chapters_balance"("chapter_a"["i"], "chapter_b"["i"]);
          end loop;
        end if;
      end $$;`);

    // For people and tests: fold everything pending now, waiting for the lock if need be.
    this.addSql(`create function "user_pages_compact"() returns void language plpgsql as $$
      begin
        if current_setting('transaction_isolation') <> 'read committed' then
          raise exception 'user_pages_compact() must run at READ COMMITTED (each statement needs a fresh snapshot)';
        end if;
        perform pg_advisory_xact_lock(${LOCK});
        perform "user_pages_compact_locked"();
      end $$;`);
    this.addSql(`create function "user_pages_rebuild"() returns void language plpgsql as $$
      begin
        if current_setting('transaction_isolation') <> 'read committed' then
          raise exception 'user_pages_rebuild() must run at READ COMMITTED (each statement needs a fresh snapshot)';
        end if;
        perform pg_advisory_xact_lock(${LOCK});
        perform "user_pages_rebuild_locked"();
      end $$;`);

    // Each trigger notes its deltas, then tries to fold: always after a bulk write, now and then
    // after a small one. If another transaction is folding, it leaves its deltas to a later fold:
    // nobody ever waits. Inlined in each trigger: this is on every write's path.
    const trigger = (name: string, note: string) =>
      this.addSql(`create function "${name}"() returns trigger language plpgsql as $$
        declare "rows" bigint;
        begin
          ${note}
          get diagnostics "rows" = row_count;
          if "rows" > 0
             and ("rows" >= ${BULK}
                  or random() * coalesce(nullif(current_setting('users.pages_compact_every', true), '')::int,
                                         ${COMPACT_EVERY}) < 1)
             and current_setting('transaction_isolation') = 'read committed' then
            if pg_try_advisory_xact_lock(${LOCK}) then
              perform "user_pages_compact_locked"();
            end if;
          end if;
          return null;
        end $$;`);
    trigger(
      'user_pages_inserted',
      `insert into "user_page_deltas" ("created_at", "id", "d") select "created_at", "id", 1 from "inserted";`,
    );
    trigger(
      'user_pages_deleted',
      `insert into "user_page_deltas" ("created_at", "id", "d") select "created_at", "id", -1 from "removed";`,
    );
    // an update that changes keys is a delete of the old keys and an insert of the new ones
    trigger(
      'user_pages_updated',
      `insert into "user_page_deltas" ("created_at", "id", "d")
          select "created_at", "id", -1 from (select "created_at", "id" from "before"
                                             except all select "created_at", "id" from "after") as "old_keys"
          union all
          select "created_at", "id", 1 from (select "created_at", "id" from "after"
                                            except all select "created_at", "id" from "before") as "new_keys";`,
    );
    // TRUNCATE holds users exclusively, so no other writer has deltas in flight
    this.addSql(`create function "user_pages_truncated"() returns trigger language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(${LOCK});
        perform "user_pages_rebuild_locked"();
        return null;
      end $$;`);

    this.addSql(`create trigger "users_pages_inserted" after insert on "users" referencing new table as "inserted"
      for each statement execute function "user_pages_inserted"();`);
    this.addSql(`create trigger "users_pages_deleted" after delete on "users" referencing old table as "removed"
      for each statement execute function "user_pages_deleted"();`);
    this.addSql(`create trigger "users_pages_updated" after update on "users"
      referencing old table as "before" new table as "after"
      for each statement execute function "user_pages_updated"();`);
    this.addSql(`create trigger "users_pages_truncated" after truncate on "users"
      for each statement execute function "user_pages_truncated"();`);

    this.addSql(`select "user_pages_rebuild"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "users_pages_truncated" on "users";`);
    this.addSql(`drop trigger "users_pages_updated" on "users";`);
    this.addSql(`drop trigger "users_pages_deleted" on "users";`);
    this.addSql(`drop trigger "users_pages_inserted" on "users";`);
    this.addSql(`drop function "user_pages_truncated"(), "user_pages_updated"(), "user_pages_deleted"(),
      "user_pages_inserted"(), "user_pages_rebuild"(), "user_pages_compact"(),
      "user_pages_compact_locked"(), "user_chapters_balance"(timestamptz, varchar),
      "user_pages_merge"(timestamptz, varchar), "user_pages_split"(timestamptz, varchar),
      "user_pages_rebuild_locked"();`);
    this.addSql(`drop table "user_pages_folded", "user_chapters", "user_pages", "user_page_deltas";`);
  }
}
