import { Migration } from '@mikro-orm/migrations';

// Pending email codes per requester (issue 19, point 5): a code requested from a browser known
// for the email (its device cookie) is kept apart from the one any other client requested, so
// others' requests do not replace it and others' wrong guesses do not use up its tries. `device`
// is the device id, or '' for every client without a device cookie.
export class Migration20261219100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "email_codes" add column "device" text not null default '';`);
    this.addSql(`alter table "email_codes" drop constraint "email_codes_pkey";`);
    this.addSql(`alter table "email_codes" add constraint "email_codes_pkey" primary key ("email_id", "device");`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "email_codes" where "device" <> '';`);
    this.addSql(`alter table "email_codes" drop constraint "email_codes_pkey";`);
    this.addSql(`alter table "email_codes" drop column "device";`);
    this.addSql(`alter table "email_codes" add constraint "email_codes_pkey" primary key ("email_id");`);
  }
}
