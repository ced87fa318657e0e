import { Migration } from '@mikro-orm/migrations';

// `q` matched without lower-casing each candidate (issue 20: a last name's search, 7,600 matches of
// 2,000,000 users, at p50 19.9 and 20.7 ms in two runs against a target of 20). ILIKE in a UTF8
// database lower-cases the pattern and the text for every row it tests (PostgreSQL's like.c), so a
// search of a broad `q` lower-cased both for each of its thousands of candidates. `user_search` now
// keeps each searched text lower-cased beside it, as a generated column PostgreSQL writes with the
// row, and the trigram indexes are built on those: a search tests `lower_column LIKE lower(q)`, which
// is what ILIKE computes, without computing it per row (the same search in pgbench: 12.4 and 13.3 ms
// against 14.4 and 14.3, docs/performance.md "Issue 20: q"). The triggers that keep the table insert
// its first columns by position and update them by name, so they are unchanged: a generated column is
// always its expression of the row as written.
//
// A GIN index takes new rows into a pending list first; the service merges it now and then
// (router/users/search-upkeep.ts), so a search does not wait for a vacuum to read less.

export class Migration20261224100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "user_search"
      add column "name_lower" text generated always as (lower("name")) stored,
      add column "address_lower" text generated always as (lower("address")) stored;`);
    this.addSql(`drop index "user_search_name_trgm_index", "user_search_address_trgm_index";`);
    this.addSql(`create index "user_search_name_lower_trgm_index" on "user_search" using gin ("name_lower" gin_trgm_ops);`);
    this.addSql(
      `create index "user_search_address_lower_trgm_index" on "user_search" using gin ("address_lower" gin_trgm_ops);`,
    );
    this.addSql(`analyze "user_search";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "user_search_name_lower_trgm_index", "user_search_address_lower_trgm_index";`);
    this.addSql(`alter table "user_search" drop column "name_lower", drop column "address_lower";`);
    this.addSql(`create index "user_search_name_trgm_index" on "user_search" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "user_search_address_trgm_index" on "user_search" using gin ("address" gin_trgm_ops);`);
  }
}
