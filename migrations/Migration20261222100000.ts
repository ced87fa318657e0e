import { Migration } from '@mikro-orm/migrations';

// The list's `status` filter (issue 22): disabled accounts are few among many, so
// `status=disabled` reads them from a partial index in creation order, with their total, instead
// of walking every user. Enabled accounts are nearly all of them: the usual indexes serve those.
export class Migration20261222100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "users_disabled_created_at_id_index" on "users" ("created_at", "id") where "disabled_at" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "users_disabled_created_at_id_index";`);
  }
}
