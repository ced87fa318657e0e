// The one pending email sign-in code of an address (authMethod 1): its keyed hash, when it
// expires, and how many wrong codes were tried against it. A new request replaces it; a right
// code deletes it (single use); after too many wrong ones it no longer signs in.
import { Entity, OneToOne, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Email } from './Email';

@Entity({ tableName: 'email_codes' })
export class EmailCode {
  @OneToOne({ entity: () => Email, primary: true, owner: true, deleteRule: 'cascade', fieldName: 'email_id' })
  email!: Rel<Email>;

  @Property({ type: 'text', hidden: true })
  codeHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'smallint', default: 0 })
  failures: number & Opt = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
