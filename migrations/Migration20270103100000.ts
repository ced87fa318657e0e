import { Migration } from '@mikro-orm/migrations';

// A user's metadata (router/metadata): what a product keeps about its users beside the published
// fields, in three parts by who may write and read them. A row of its own, made at the first write:
// the users rows stay as narrow as the list and the sign-in read them, and a user without
// metadata has no row. Deleting the user deletes it. `version` comes from a sequence at every
// write (0 is a row made but never written), so an ETag of a deleted user's metadata never
// matches a later user's under the same id.
export class Migration20270103100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence "user_metadata_versions";`);
    this.addSql(`create table "user_metadata" (
      "user_id" varchar(64) primary key references "users" ("id") on update cascade on delete cascade,
      "app_data" jsonb not null default '{}' check (jsonb_typeof("app_data") = 'object'),
      "user_data" jsonb not null default '{}' check (jsonb_typeof("user_data") = 'object'),
      "admin_data" jsonb not null default '{}' check (jsonb_typeof("admin_data") = 'object'),
      "version" bigint not null default 0,
      "updated_at" timestamptz not null default now()
    );`);
    // the list's `metadata` filter (@>) finds a part's matches through its index, not by
    // reading every row; jsonb_path_ops: smaller, and @> is the only operator asked
    for (const column of ['app_data', 'user_data', 'admin_data']) {
      this.addSql(`create index "user_metadata_${column}_index" on "user_metadata" using gin ("${column}" jsonb_path_ops);`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "user_metadata";`);
    this.addSql(`drop sequence "user_metadata_versions";`);
  }
}
