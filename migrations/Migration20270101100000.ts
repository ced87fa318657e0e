import { Migration } from '@mikro-orm/migrations';

// TOTP_KEY rotates (docs/operations.md): a recovery code's hash names the key it was made under,
// so `npm run reseal` can tell how many codes still need a previous key. Null is a code of before
// key ids, made under whatever key was current then.
export class Migration20270101100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "recovery_codes" add column "key_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "recovery_codes" drop column "key_id";`);
  }
}
