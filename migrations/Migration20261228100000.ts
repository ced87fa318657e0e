import { Migration } from '@mikro-orm/migrations';

// OAuth2 one-time login codes nobody redeemed (a browser closed between the callback and the
// exchange) are removed once expired by the retention round (server/start/retention.ts), which
// finds them through this index instead of reading the table.
export class Migration20261228100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "oauth_login_codes_expires_at_index" on "oauth_login_codes" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "oauth_login_codes_expires_at_index";`);
  }
}
