// A user of the service. It owns exactly one Email; deleting the user deletes the email.
// `role` lives here only: no API input can set it (see `npm run admin`). `tokenEpoch` is the
// generation of the user's credentials: every token carries the epoch it was issued under, and a
// credential change (password, address, sign-in method, TOTP enrollment) draws a new one, which
// ends every token issued before it, on every instance.
import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, OneToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './BaseEntity';
import { Email } from './Email';
import { Gender, ROLES, type Role } from './enums';

@Entity({ tableName: 'users' })
@Check({ name: 'users_age_check', expression: 'age between 1 and 120' })
@Check({ name: 'users_gender_check', expression: 'gender between 0 and 2' })
// Lists are ordered by creation, then id; this index serves that order and deep pages.
@Index({ name: 'users_created_at_id_index', properties: ['createdAt', 'id'] })
export class User extends BaseEntity {
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @Property({ type: 'string', length: 32 })
  name!: string;

  @Property({ type: 'smallint' })
  age!: number;

  @Enum({ items: () => Object.values(Gender), type: 'smallint' })
  gender!: Gender;

  @OneToOne({ entity: () => Email, owner: true, orphanRemoval: true, deleteRule: 'restrict', updateRule: 'cascade' })
  email!: Rel<Email>;

  @Enum({ items: () => [...ROLES], type: 'string', length: 8, default: 'user' })
  role: Role & Opt = 'user';

  @Property({ type: 'uuid', defaultRaw: 'gen_random_uuid()', hidden: true })
  tokenEpoch: string & Opt = randomUUID();

  // Disabled by an admin (router/users/account-state): no sign-in by any method while set, until
  // `disabledUntil` passes if it is set. Hidden: the published user shape does not carry them.
  @Property({ type: 'datetime', nullable: true, hidden: true })
  disabledAt?: Date | null;

  @Property({ type: 'string', length: 200, nullable: true, hidden: true })
  disabledReason?: string | null;

  @Property({ type: 'datetime', nullable: true, hidden: true })
  disabledUntil?: Date | null;
}
