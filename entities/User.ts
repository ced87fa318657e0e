// A user of the service. It owns exactly one Email; deleting the user deletes the email.
// `role` lives here only: no API input can set it (see `npm run admin`). `tokenEpoch` is the
// generation of the user's credentials: every token carries the epoch it was issued under, and a
// credential change (password, address, sign-in method, TOTP enrollment) draws a new one, which
// ends every token issued before it, on every instance. `version` counts the writes (see there).
import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, OneToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { BaseEntity } from './BaseEntity';
import { Email } from './Email';
import { Gender, ROLES, type Role } from './enums';

@Entity({ tableName: 'users' })
@Check({ name: 'users_age_check', expression: 'age between 1 and 120' })
@Check({ name: 'users_gender_check', expression: 'gender between 0 and 2' })
// Lists are ordered by creation, then id; this index serves that order and deep pages. The other
// sorts (name, age; each then id) have one each (migrations/Migration20261210120000.ts). The search
// (`q`) reads `user_search`, the search's own copy of a user (migrations/Migration20261223100000.ts).
@Index({ name: 'users_created_at_id_index', properties: ['createdAt', 'id'] })
@Index({ name: 'users_name_id_index', properties: ['name', 'id'] })
@Index({ name: 'users_age_id_index', properties: ['age', 'id'] })
// The disabled accounts, few among many: `status=disabled` reads them in creation order from this
// partial index rather than walking every user (migrations/Migration20261222100000.ts).
@Index({
  name: 'users_disabled_created_at_id_index',
  expression:
    'create index "users_disabled_created_at_id_index" on "users" ("created_at", "id") where "disabled_at" is not null',
})
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

  // When an admin last enabled the account: a dormant account's clock starts again there, so an
  // account enabled again has DORMANT_ACCOUNT_DAYS to sign in (router/users/dormant-accounts).
  @Property({ type: 'datetime', nullable: true, hidden: true })
  enabledAt?: Date | null;

  /**
   * The generation of what the API shows of this user: 1 when created, one more on every write
   * through the unit of work (MikroORM adds `version = version + 1` to each UPDATE), so two writes
   * in one second still differ. The ETag and the tRPC `UserVersion` are made from it.
   */
  @Property({ type: 'integer', version: true, default: 1 })
  version!: number & Opt;
}
