import { Migration } from '@mikro-orm/migrations';

// One account per address key, whatever the database's locale (issue 19, point 1b).
//
// Addresses were unique by `lower(address)`, and looked up the same way. lower() follows the
// database's locale and Unicode's case mappings, under which look-alikes become ASCII letters:
// lower(U&'\212A') (KELVIN SIGN) is 'k', lower(U&'\0130') (I WITH DOT ABOVE) is 'i' under C.UTF-8,
// and other locales map other letters. A provider account verified for `\u212Aelvin@example.com`
// therefore signed in as `kelvin@example.com`.
//
// The key now is `email_key(address)`: A–Z become a–z and every other character stays as it is,
// the same rule as entities/email-key.ts. translate() compares and replaces code points only, so
// the key depends on no locale, collation or Unicode table, and the function can honestly be
// IMMUTABLE (an index may be built on it). `pg_catalog.` is spelled out so that no function of the
// same name earlier on a search_path can stand in for translate().
//
// Existing rows cannot collide under the new key, in every database whose lower() turns each of
// A–Z into its a–z (every locale but the Turkic ones, where lower('I') is 'ı'): if two addresses
// have the same key, they differ at most in the case of ASCII letters, so their lower() is the same
// too, and the old unique index already kept one of them out. The new key is finer than the old one
// (it tells apart what lower() merged, such as `\u212Aelvin` and `kelvin`), never coarser. Should a
// database with another lower() hold two such rows anyway, the migration stops before it changes
// anything and names how many there are; merging accounts is a decision for people, not for a
// migration.
const LETTERS = `'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'`;

export class Migration20261219120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "email_key"("address" text) returns text
      language sql immutable strict parallel safe
      as $$ select pg_catalog.translate("address", ${LETTERS}) $$;`);
    this.addSql(`do $$
      declare "clashes" bigint;
      begin
        select count(*) into "clashes" from (
          select "email_key"("address") from "emails" group by 1 having count(*) > 1) as "same";
        if "clashes" > 0 then
          raise exception '% email address(es) are held by more than one row that differ only in the case of A-Z', "clashes"
            using hint = 'find them with: select email_key(address), array_agg(id) from emails group by 1 having count(*) > 1; '
                         'merge or rename them, then run the migrations again';
        end if;
      end $$;`);
    this.addSql(`drop index "emails_address_lower_unique";`);
    this.addSql(`create unique index "emails_address_key_unique" on "emails" ("email_key"("address"));`);
  }

  override async down(): Promise<void> {
    // fails if look-alikes (distinct under the key, equal under lower()) were added since
    this.addSql(`drop index "emails_address_key_unique";`);
    this.addSql(`create unique index "emails_address_lower_unique" on "emails" (lower("address"));`);
    this.addSql(`drop function "email_key"(text);`);
  }
}
