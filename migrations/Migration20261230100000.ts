import { Migration } from '@mikro-orm/migrations';

// Mailed codes (sign-in codes, password reset codes) nobody used are removed once expired by the
// periodic retention round (server/start/retention.ts), found through these indexes, instead
// of staying until their address and browser ask again. A code's expiry moves only when a new code
// replaces it, on the same row.
export class Migration20261230100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "email_codes_expires_at_index" on "email_codes" ("expires_at");`);
    this.addSql(`create index "password_resets_expires_at_index" on "password_resets" ("expires_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "email_codes_expires_at_index";`);
    this.addSql(`drop index "password_resets_expires_at_index";`);
  }
}
