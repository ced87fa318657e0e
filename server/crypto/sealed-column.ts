// A column of sealed values (SecretBox.seal), as `npm run reseal` walks it after a TOTP_KEY
// rotation: each domain that keeps sealed secrets says here how its rows are read and replaced,
// and the walk (server/cli/reseal-secrets.ts) needs to know nothing else of its tables.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface SealedValue {
  /** The row's key, as text (the keyset the walk pages by). */
  id: string;
  sealed: string;
}

export interface SealedColumn {
  /** What is sealed there, in words for the command's report. */
  readonly name: string;
  /** The context the value of row `id` is sealed for (SecretBox.seal's `context`). */
  context(id: string): string;
  /** Up to `limit` values that do not start with `current` (the current key's prefix), after row `after`, in row order. */
  read(em: EntityManager, current: string, after: string | null, limit: number): Promise<SealedValue[]>;
  /** Replaces `from` with `to` in row `id`, unless the row changed meanwhile; whether it did. */
  replace(em: EntityManager, id: string, from: string, to: string): Promise<boolean>;
}
