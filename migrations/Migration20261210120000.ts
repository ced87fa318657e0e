import { Migration } from '@mikro-orm/migrations';

// Finding users, editing them safely, and reads that do not wait for vacuum (issue 20):
// - `users.version`: the generation of what the API shows of a user (ETag, If-Match, UserVersion);
// - the indexes of the list's filters and sorts: name and age each with the id, and trigram indexes (pg_trgm) for `q` over names and addresses;
// - the fold mark moves past the folding transaction when it commits (see below).
//
// The mark. A fold records in `user_pages_folded.below` the oldest transaction still running when
// its snapshot was taken, its own included: it cannot know whether it will write more deltas before
// it ends. So after a bulk load folded inside its own transaction, and then silence, `below` stayed at
// that transaction's id and every reader walked its folded (deleted, not yet vacuumed) deltas:
// 175 ms a page at 2M users instead of 6 ms. Now the fold's update of the mark also queues a
// deferred trigger, which runs when the folding transaction commits, after its last statement. By
// then no delta is pending below the oldest delta still pending (the transaction's own included), the
// oldest other transaction of this database still running (whose deltas may come), and the next
// transaction id; the mark moves up to the least of these, past the folding transaction when it left
// nothing pending.
// If the transaction writes users after that (only possible after `set constraints all immediate`),
// its delta triggers see the note the move left and bring the mark back to the transaction's id.
const BULK = 1000;
const COMPACT_EVERY = 128;
const LOCK = `hashtext('user_pages')`;
const MAX_XID8 = `'18446744073709551615'::xid8`;

export class Migration20261210120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "version" int not null default 1;`);

    // Sorts: each key, then the id, walked in either direction (keyset pages read at most a page).
    this.addSql(`create index "users_name_id_index" on "users" ("name", "id");`);
    this.addSql(`create index "users_age_id_index" on "users" ("age", "id");`);
    // The lookup by address (`?email=`) and `sort=email` read the unique index on the address's key,
    // email_key(address) (Migration20261219120000), which PostgreSQL inlines: no index of their own.
    // Substring search (`q`, ILIKE '%…%') over names and addresses. pg_trgm ships with PostgreSQL
    // (contrib) and is a trusted extension: the database's owner may create it.
    this.addSql(`create extension if not exists "pg_trgm";`);
    this.addSql(`create index "users_name_trgm_index" on "users" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "emails_address_trgm_index" on "emails" using gin ("address" gin_trgm_ops);`);

    // Moves the mark past the folding transaction at its commit (see above), in steps, each after the
    // one before: (1) a bound on the ids still to be given (above this transaction's own, and the
    // snapshot's xmax); (2) the transactions of this database running now; (3) the oldest delta still
    // pending. A transaction with a delta (3) does not see was running at (3): it is one of (2), or got
    // its id after (1), above the bound. Transaction ids are the cluster's, and a transaction in another
    // database writes no delta here, so a long one there does not hold the mark back. Which transactions
    // run in this database is read from the lock each holds on its own id (pg_locks, which every role
    // may read) and its backend's database, or from pg_prepared_xacts; those 32-bit ids are widened to
    // the 64-bit ones around this transaction's own (a running id is within 2^31 of it).
    this.addSql(`create function "user_pages_pass_mark"() returns trigger language plpgsql set jit = off as $$
      declare
        "own" numeric;
        "bound" xid8;
        "others" xid8;
        "mark" xid8;
      begin
        -- once per commit: the update below queues this trigger again
        if current_setting('users.pages_mark_passed', true) = 'on' then
          return null;
        end if;
        "own" := pg_current_xact_id()::text::numeric;
        "bound" := greatest(pg_snapshot_xmax(pg_current_snapshot()), ("own" + 1)::text::xid8);
        select min(("own" + ("x"::text::numeric - "own" % 4294967296 + 6442450944) % 4294967296 - 2147483648)::text::xid8)
          into "others"
          from (select "l"."transactionid" as "x" from pg_locks as "l" join pg_stat_activity as "a" on "a"."pid" = "l"."pid"
                where "l"."locktype" = 'transactionid' and "l"."mode" = 'ExclusiveLock' and "l"."granted"
                  and "a"."datname" = current_database() and "a"."pid" <> pg_backend_pid()
                union all
                select "transaction" from pg_prepared_xacts where "database" = current_database()) as "here";
        select least("others", "bound",
          (select min("tx") from "user_page_deltas"
            where "tx" between (select "below" from "user_pages_folded") and ${MAX_XID8}))
          into "mark";
        update "user_pages_folded" set "below" = "mark" where "below" < "mark";
        perform set_config('users.pages_mark_passed', 'on', true);
        return null;
      end $$;`);
    // Only the fold-lock holder updates the mark, so this fires only in a transaction holding the lock.
    this.addSql(`create constraint trigger "user_pages_folded_pass" after update on "user_pages_folded"
      deferrable initially deferred for each row execute function "user_pages_pass_mark"();`);

    // The delta triggers of Migration20261201120000, with one step more: deltas written after this
    // transaction moved the mark past itself bring it back (it holds the fold lock: it folded).
    const trigger = (name: string, note: string) =>
      this.addSql(`create or replace function "${name}"() returns trigger language plpgsql as $$
        declare "rows" bigint;
        begin
          ${note}
          get diagnostics "rows" = row_count;
          if "rows" > 0 and current_setting('users.pages_mark_passed', true) = 'on' then
            update "user_pages_folded" set "below" = least("below", pg_current_xact_id());
            perform set_config('users.pages_mark_passed', 'off', true);
          end if;
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
    trigger(
      'user_pages_updated',
      `insert into "user_page_deltas" ("created_at", "id", "d")
          select "created_at", "id", -1 from (select "created_at", "id" from "before"
                                             except all select "created_at", "id" from "after") as "old_keys"
          union all
          select "created_at", "id", 1 from (select "created_at", "id" from "after"
                                            except all select "created_at", "id" from "before") as "new_keys";`,
    );

    // \`select user_pages_compact()\` with nothing pending moved nothing, so a mark left low by a
    // transaction long gone stayed low until the next write. Now it touches the mark, and its commit
    // moves it (the deferred trigger above).
    this.addSql(`create or replace function "user_pages_compact"() returns void language plpgsql as $$
      begin
        if current_setting('transaction_isolation') <> 'read committed' then
          raise exception 'user_pages_compact() must run at READ COMMITTED (each statement needs a fresh snapshot)';
        end if;
        perform pg_advisory_xact_lock(${LOCK});
        perform "user_pages_compact_locked"();
        update "user_pages_folded" set "below" = "below";
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "user_pages_folded_pass" on "user_pages_folded";`);
    this.addSql(`drop function "user_pages_pass_mark"();`);
    this.addSql(`drop index "emails_address_trgm_index", "users_name_trgm_index", "users_age_id_index",
      "users_name_id_index";`);
    this.addSql(`alter table "users" drop column "version";`);
    // the delta triggers and user_pages_compact() keep their new bodies: they work without the mark's move
  }
}
