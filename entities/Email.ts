// A user's sign-in address. The password hash lives here, and is kept out of every read that
// does not ask for it by name (lazy) and out of every serialisation (hidden).
import { Check, Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from './BaseEntity';
import { EMAIL_KEY_INDEX, EMAIL_KEY_SQL } from './email-key';
import { AuthMethod } from './enums';

@Entity({ tableName: 'emails' })
// One account per address key (./email-key: A–Z lower-cased, nothing else folded); the address
// keeps the case the user gave it.
@Index({
  name: EMAIL_KEY_INDEX,
  expression: `create unique index "${EMAIL_KEY_INDEX}" on "emails" ("${EMAIL_KEY_SQL}"("address"))`,
})
// Looked up (`?email=`) and sorted (`sort=email`) by its key through the unique index above; searched
// (`q`) in `user_search`, the search's own copy (migrations/Migration20261223100000.ts).
@Check({ name: 'emails_auth_method_check', expression: 'auth_method between 0 and 3' })
// a method that signs in with a password has one (migrations/Migration20261226100000.ts)
@Check({ name: 'emails_password_check', expression: 'auth_method not in (0, 2) or password_hash is not null' })
export class Email extends BaseEntity {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number & Opt;

  @Property({ type: 'string', length: 254 })
  address!: string;

  @Enum({ items: () => Object.values(AuthMethod), type: 'smallint' })
  authMethod!: AuthMethod;

  /** scrypt-kdf key, base64. Null for addresses that do not sign in with a password. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  passwordHash: string | null = null;
}
