// The TOTP secret of an email that signs in by password and TOTP (authMethod 2). It exists from
// the first password sign-in (pending: `confirmedAt` null, bound to one enrollment) and is
// confirmed by the first valid code. The secret is sealed (AES-256-GCM, see server/crypto/secret-box),
// never serialised and loaded only when asked for by name. `lastUsedStep` is the newest time step
// a code was accepted for: a code is accepted once (RFC 6238 §5.2).
import { Entity, OneToOne, Property, type Opt, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './BaseEntity';
import { Email } from './Email';

@Entity({ tableName: 'totp_credentials' })
export class TotpCredential extends BaseEntity {
  @OneToOne({ entity: () => Email, primary: true, owner: true, deleteRule: 'cascade', fieldName: 'email_id' })
  email!: Rel<Email>;

  @Property({ type: 'text', hidden: true, lazy: true })
  secret!: string;

  /** The enrollment a pending secret belongs to; a challenge for another one does not confirm it. */
  @Property({ type: 'uuid' })
  enrollmentId!: string;

  @Property({ type: 'datetime', nullable: true })
  confirmedAt: (Date & Opt) | null = null;

  @Property({ type: 'integer', nullable: true })
  lastUsedStep: (number & Opt) | null = null;
}
