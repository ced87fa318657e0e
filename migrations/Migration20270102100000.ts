import { Migration } from '@mikro-orm/migrations';

// Security notices leave by an outbox (router/auth/security-notices.ts): a notice is a row written
// in the transaction of the change it tells of, so it exists exactly when the change committed,
// and every instance's worker (server/start/notice-worker.ts) claims due rows with SKIP LOCKED,
// mails them and deletes them; `next_at` is both when to try next and the lease of a claim.
export class Migration20270102100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "security_notices" (
      "id" bigint generated always as identity primary key,
      "address" text not null,
      "subject" text not null,
      "body" text not null,
      "created_at" timestamptz not null default now(),
      "attempts" int not null default 0,
      "next_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "security_notices_next_at_index" on "security_notices" ("next_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "security_notices";`);
  }
}
