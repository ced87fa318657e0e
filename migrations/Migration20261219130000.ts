import { Migration } from '@mikro-orm/migrations';

// The one-time login code of an OAuth2 sign-in is bound to the browser that started it (issue 19,
// point 3): the keyed hash of a cookie the callback sets is stored with the code, and the exchange
// requires that cookie. Codes pending at the upgrade (each lives 60 s) have no such hash: they are
// dropped, and whoever held one signs in again.
export class Migration20261219130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`delete from "oauth_login_codes";`);
    this.addSql(`alter table "oauth_login_codes" add column "browser_hash" text not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "oauth_login_codes" drop column "browser_hash";`);
  }
}
