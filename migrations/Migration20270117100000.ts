import { Migration } from '@mikro-orm/migrations';

// When a periodic task that one instance at a time is enough for last ran, by name
// (server/database/periodic-runs.ts): the dormant accounts' step reads every user, so of all the
// instances' retention rounds, one an hour takes it.
export class Migration20270117100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "periodic_runs" ("name" text primary key, "last_at" timestamptz not null);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "periodic_runs";`);
  }
}
