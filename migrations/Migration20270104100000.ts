import { Migration } from '@mikro-orm/migrations';

// Impersonation (router/auth/impersonation/): an admin's session as one of its users is a
// session of that user, listed among its sessions, with the admin who began it (`impersonator`) and,
// when the admin was signed in, the admin's own session (`parent_id`). Ending that session (the
// admin's logout, its sessions ended, its account disabled or deleted) ends every impersonation it
// began: the rows go with it, and the session check refuses their tokens from then on.
export class Migration20270104100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sessions" add column "impersonator" varchar(64) null,
      add column "parent_id" uuid null references "sessions" ("id") on delete cascade;`);
    // the cascade finds an ended session's children through this (few rows have one)
    this.addSql(`create index "sessions_parent_id_index" on "sessions" ("parent_id") where "parent_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sessions" drop column "parent_id", drop column "impersonator";`);
  }
}
