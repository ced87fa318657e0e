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
// Each index keeps at most 1 MB of rows not yet merged (its pending list; PostgreSQL's default is
// 4 MB), which every search reads whole until a vacuum or the next insert past the limit merges it.
// After a bulk load with nothing written since and no vacuum (autovacuum off), a full 4 MB list in
// both indexes made a last name's search 5 ms slower (24.4 and 28.4 ms against 19.4 to 23.2); 1 MB
// bounds that at about a quarter, for 4% more CPU per create (1,080 against 1,037 µs; 256 kB: 1,180,
// and merging each insert at once: 1,670).
const TRIGRAM = `using gin (%s gin_trgm_ops) with (gin_pending_list_limit = 1024)`;
export class Migration20261224100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "user_search"
      add column "name_lower" text generated always as (lower("name")) stored,
      add column "address_lower" text generated always as (lower("address")) stored;`);
    this.addSql(`drop index "user_search_name_trgm_index", "user_search_address_trgm_index";`);
    this.addSql(`create index "user_search_name_lower_trgm_index" on "user_search" ${TRIGRAM.replace('%s', '"name_lower"')};`);
    this.addSql(
      `create index "user_search_address_lower_trgm_index" on "user_search" ${TRIGRAM.replace('%s', '"address_lower"')};`,
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
