import { Migration } from '@mikro-orm/migrations';

// Sign-up with the OpenID provider: the age and gender its profile offered (`birthdate`, `gender`),
// kept with the ticket beside the name, for the form to start from; null when it offered none.
export class Migration20270112100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "oauth_sign_ups" add column "age" smallint null, add column "gender" smallint null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "oauth_sign_ups" drop column "age", drop column "gender";`);
  }
}
