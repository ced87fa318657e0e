import { Migration } from '@mikro-orm/migrations';

// An exact count of users, kept by triggers in the same transaction as every insert and
// delete, so a list's `total` is one row read instead of a scan of the table.
export class Migration20261128130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "user_counts" ("id" boolean primary key default true check ("id"), "n" bigint not null);`);
    this.addSql(`insert into "user_counts" ("n") select count(*) from "users";`);
    this.addSql(`create function "user_counts_add"() returns trigger language plpgsql as $$
      begin update "user_counts" set "n" = "n" + (select count(*) from "inserted"); return null; end $$;`);
    this.addSql(`create function "user_counts_remove"() returns trigger language plpgsql as $$
      begin update "user_counts" set "n" = "n" - (select count(*) from "removed"); return null; end $$;`);
    this.addSql(`create function "user_counts_reset"() returns trigger language plpgsql as $$
      begin update "user_counts" set "n" = 0; return null; end $$;`);
    this.addSql(`create trigger "users_count_insert" after insert on "users" referencing new table as "inserted"
      for each statement execute function "user_counts_add"();`);
    this.addSql(`create trigger "users_count_delete" after delete on "users" referencing old table as "removed"
      for each statement execute function "user_counts_remove"();`);
    this.addSql(`create trigger "users_count_truncate" after truncate on "users"
      for each statement execute function "user_counts_reset"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "users_count_truncate" on "users";`);
    this.addSql(`drop trigger "users_count_delete" on "users";`);
    this.addSql(`drop trigger "users_count_insert" on "users";`);
    this.addSql(`drop function "user_counts_reset"(), "user_counts_remove"(), "user_counts_add"();`);
    this.addSql(`drop table "user_counts";`);
  }
}
