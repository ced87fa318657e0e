// A column of sealed values (SecretBox.seal), as `npm run reseal` walks it after a TOTP_KEY
// rotation and as start-up checks it: each domain that keeps sealed secrets says here how its rows
// are read and replaced, and the walk (server/cli/reseal-secrets.ts) and the check
// (server/start/sealed-secrets-check.ts) need to know nothing else of its tables.
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
  /** What start-up checks: the values under no key held (see `outsideKeys`). */
  outside(em: EntityManager, held: readonly string[], unnamed: string): Promise<OutsideKeys>;
  /** Replaces `from` with `to` in row `id`, unless the row changed meanwhile; whether it did. */
  replace(em: EntityManager, id: string, from: string, to: string): Promise<boolean>;
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
 * `SealedColumn.outside` for a column `column` of `table` keyed by `id` (identifiers of the
 * domain's own, never input): which values begin with none of `held` (SecretBox.heldSealPrefixes),
 * told apart from those of before key ids (`unnamed`, SecretBox.unnamedSealPrefix). One pass over
 * the table, for a start-up's check.
 */
export async function outsideKeys(
  em: EntityManager,
  where: { table: string; id: string; column: string },
  held: readonly string[],
  unnamed: string,
): Promise<OutsideKeys> {
  const { table, id, column } = where;
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
