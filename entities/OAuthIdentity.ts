// The OpenID provider identity an OAuth2 user (authMethod 3) is bound to: the provider's
// `(iss, sub)`, fixed at the first sign-in (matched by a verified email). From then on only that
// identity signs the user in, whatever email the provider reports later.
import { Entity, OneToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { User } from './User';

@Entity({ tableName: 'oauth_identities' })
export class OAuthIdentity {
  @PrimaryKey({ type: 'text' })
  issuer!: string;

  @PrimaryKey({ type: 'text' })
  subject!: string;

  @OneToOne({ entity: () => User, owner: true, unique: 'oauth_identities_user_id_unique', deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
