// A column of sealed values (SecretBox.seal), as `npm run reseal` walks it after a TOTP_KEY
// rotation and as start-up checks it: each domain that keeps sealed secrets names here where they
// are (its table, key and column), and the statements that read, count and replace them are
// written once, below, for every such column (server/cli/reseal-secrets.ts walks them,
// server/start/sealed-secrets.ts checks them).
import type { EntityManager } from '@mikro-orm/postgresql';

/** Where a domain keeps sealed secrets: identifiers of its own, never input. */
export interface SealedColumn {
  /** What is sealed there, in words for the command's report and the start-up warning. */
  readonly name: string;
  readonly table: string;
  /** The rows' key, and its type: the walk pages by it, in that type's order. */
  readonly id: string;
  readonly idType: 'int' | 'uuid';
  /** The column of sealed values (null where a row has none). */
  readonly column: string;
  /** The context the value of row `id` (as text) is sealed for (SecretBox.seal's `context`). */
  context(id: string): string;
}

export interface SealedValue {
  /** The row's key, as text. */
  id: string;
  sealed: string;
}

/** Up to `limit` values that do not begin with `current` (the current key's prefix), after row `after`, in key order. */
export function readSealed(
  em: EntityManager,
  { table, id, idType, column }: SealedColumn,
  current: string,
  after: string | null,
  limit: number,
): Promise<SealedValue[]> {
  return em.execute<SealedValue[]>(
    `select ${id}::text as id, ${column} as sealed from ${table}
      where ${column} is not null and not starts_with(${column}, ?) ${after === null ? '' : `and ${id} > ?::${idType}`}
      order by ${id} limit ?`,
    after === null ? [current, limit] : [current, after, limit],
  );
}

/**
 * Replaces `from` with `to` in row `id`, unless the row changed meanwhile; whether it did. Nothing
 * else of the row changes (not its `updated_at`: sealing a secret again changes nothing of it).
 */
export async function replaceSealed(
  em: EntityManager,
  { table, id: key, idType, column }: SealedColumn,
  id: string,
  from: string,
  to: string,
): Promise<boolean> {
  const replaced = await em.execute(
    `update ${table} set ${column} = ? where ${key} = ?::${idType} and ${column} = ? returning ${key}`,
    [to, id, from],
  );
  return replaced.length === 1;
}

/** The values of a column that no key held names. */
export interface OutsideKeys {
  /** Sealed under a key named by an id no key held has: they cannot be opened. */
  unheld: number;
  /** Sealed before key ids: one opened tells, since they were all sealed under one key. */
  unnamed: number;
  unnamedSample: SealedValue | null;
}

/**
 * Which values begin with none of `held` (SecretBox.heldSealPrefixes), told apart from those of
 * before key ids (`unnamed`, SecretBox.unnamedSealPrefix). One pass over the table, for a
 * start-up's check.
 */
export async function sealedOutside(
  em: EntityManager,
  { table, id, column }: SealedColumn,
  held: readonly string[],
  unnamed: string,
): Promise<OutsideKeys> {
  // the prefixes travel as JSON (knex would spread an array into several parameters)
  const [counts] = await em.execute<Array<{ unheld: number; unnamed: number }>>(
    `select count(*) filter (where not starts_with(${column}, ?))::int as unheld,
            count(*) filter (where starts_with(${column}, ?))::int as unnamed
       from ${table}
      where ${column} is not null
        and not exists (select 1 from jsonb_array_elements_text(?::jsonb) as held(prefix)
                         where starts_with(${column}, held.prefix))`,
    [unnamed, unnamed, JSON.stringify(held)],
  );
  const [sample] =
    (counts?.unnamed ?? 0) > 0
      ? await em.execute<SealedValue[]>(
          `select ${id}::text as id, ${column} as sealed from ${table} where starts_with(${column}, ?) limit 1`,
          [unnamed],
        )
      : [];
  return { unheld: counts?.unheld ?? 0, unnamed: counts?.unnamed ?? 0, unnamedSample: sample ?? null };
}
