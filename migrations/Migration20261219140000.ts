import { Migration } from '@mikro-orm/migrations';

// Every OAuth2 `authorize` first sweeps the pending sign-ins that expired
// (`delete from oauth_states where expires_at < now`): without an index that is a scan of the
// whole table on each anonymous call (issue 19, point 6).
export class Migration20261219140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "oauth_states_expires_at_index" on "oauth_states" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "oauth_states_expires_at_index";`);
  }
}
