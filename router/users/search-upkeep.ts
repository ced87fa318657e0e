// The upkeep of `q`'s trigram index (migrations/Migration20261225100000.ts). A GIN index takes
// new rows into a pending list that every search reads whole, and merges it into the index when a
// vacuum runs or when an insert finds it past 4 MB. A bulk load with nothing written after it and no
// vacuum (autovacuum off) leaves up to 4 MB there for good: a last name's search took 5 ms longer
// (24.4 and 28.4 ms against 19.4 to 23.2). A smaller limit bounds that, but makes creates merge
// more often themselves (1 MB: 12% fewer creates a second at 50 connections). So the service merges
// the lists itself, off any request, with PostgreSQL's `gin_clean_pending_list`: reads do not wait
// for a vacuum, and creates keep the default's batches.
import type { EntityManager } from '@mikro-orm/postgresql';

/** The trigram index `q` reads (over the name and the address: Migration20261225100000). */
export const SEARCH_TRIGRAM_INDEX = 'user_search_text_trgm_index';

/**
 * Merges the pending list of the search's index into it; answers how many pages were merged.
 * On the primary (a replica's indexes are the primary's). Concurrent inserts go on meanwhile.
 * An index of another name is an error the upkeep logs, not a silent nothing merged.
 */
export async function mergePendingSearchEntries(em: EntityManager): Promise<number> {
  const [row] = await em.execute<Array<{ pages: string }>>(`select gin_clean_pending_list(?::regclass) as pages`, [
    SEARCH_TRIGRAM_INDEX,
  ]);
  return Number(row?.pages ?? 0);
}
