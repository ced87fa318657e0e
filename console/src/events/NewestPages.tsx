// Reading events newest first, a page at a time: where the page starts (`before`, from the last id
// of the page before it; 0 for the newest), and "Newer events" / "Older events" to move. The
// service says a page is the last by answering fewer than asked.
import { useState } from 'react';

/** Events per page. */
export const EVENTS_PER_PAGE = 25;

export function useNewestPages() {
  const [befores, setBefores] = useState<number[]>([]);
  return {
    /** Where the shown page starts: below this id (0: the newest). */
    before: befores.at(-1) ?? 0,
    atNewest: befores.length === 0,
    older: (lastId: number) => setBefores([...befores, lastId]),
    newer: () => setBefores(befores.slice(0, -1)),
    /** Back to the newest page (a new filter, say). */
    reset: () => setBefores([]),
  };
}

interface EventPagerProps {
  label: string;
  pages: ReturnType<typeof useNewestPages>;
  /** The page shown. */
  items: Array<{ id: number }>;
  /** While the next page is read: both buttons wait. */
  busy: boolean;
}

export function EventPager({ label, pages, items, busy }: EventPagerProps) {
  // a full page may have older events after it; a short one is the oldest
  const last = items.length === EVENTS_PER_PAGE ? items.at(-1)?.id : undefined;
  if (pages.atNewest && last === undefined) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={pages.atNewest || busy} onClick={pages.newer}>
        Newer events
      </button>
      <button
        type="button"
        disabled={last === undefined || busy}
        onClick={() => last !== undefined && pages.older(last)}
      >
        Older events
      </button>
    </nav>
  );
}
