// A sign-in with the OpenID provider under way: the keyed hash of its `state`, the hash of the
// browser binding (a cookie set on the same browser), and where to return. The PKCE verifier and
// the nonce are derived from the state with a server key, so nothing secret is stored. Single use.
import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

@Entity({ tableName: 'oauth_states' })
export class OAuthState {
  @PrimaryKey({ type: 'text' })
  stateHash!: string;

  @Property({ type: 'text' })
  bindingHash!: string;

  @Property({ type: 'text' })
  returnTo!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
