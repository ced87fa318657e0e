// A single-use recovery code of a TOTP sign-in, stored only as its keyed hash; used up, it is deleted.
import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Email } from './Email';

@Entity({ tableName: 'recovery_codes' })
@Index({ name: 'recovery_codes_email_id_index', properties: ['email'] })
export class RecoveryCode {
  @PrimaryKey({ type: 'text', hidden: true })
  codeHash!: string;

  @ManyToOne({ entity: () => Email, deleteRule: 'cascade' })
  email!: Rel<Email>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
