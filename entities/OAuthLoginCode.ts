// The one-time code the OAuth2 callback puts in the return URL (never a token in a URL): its keyed
// hash, the user it signs in, and a short expiry. Exchanged once for a token.
import { Entity, ManyToOne, PrimaryKey, Property, type Opt, type Rel } from '@mikro-orm/core';
import { User } from './User';

@Entity({ tableName: 'oauth_login_codes' })
export class OAuthLoginCode {
  @PrimaryKey({ type: 'text' })
  codeHash!: string;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
