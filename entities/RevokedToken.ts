// A token ended before its expiry by logout, by its `jti`. Kept until the token would have
// expired anyway; every instance checks it, so a logout holds everywhere.
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'revoked_tokens' })
@Index({ name: 'revoked_tokens_expires_at_index', properties: ['expiresAt'] })
export class RevokedToken {
  @PrimaryKey({ type: 'uuid' })
  jti!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;
}
