// Creation and update timestamps shared by every entity. The database keeps full timestamps;
// the API shows them as unix seconds.
import { Property, type Opt } from '@mikro-orm/core';

export abstract class BaseEntity {
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  // Set explicitly by writes that replace a resource (a PUT moves it even when no value changed),
  // and by MikroORM whenever it flushes a change.
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
