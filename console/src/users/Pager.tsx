// Paging as people use it: how many per page, previous and next, and where they are ("Showing
// 21–30 of 1,234", the total of the users the search finds). The service counts and says where the
// next page starts (a cursor); the console only keeps the way back (UsersPage.tsx).
import { useId } from 'react';
import { formatCount } from './labels';
import { PAGE_SIZES, type PageSize } from './list-view';

interface PagerProps {
  /** The position of the page's first user in the list, from 1. */
  first: number;
  /** How many users the page shows. */
  count: number;
  total: number;
  limit: PageSize;
  /** What to say when no user is shown: "No users", or "No users match" for a search. */
  none: string;
  onLimit: (limit: PageSize) => void;
  /** Absent on the first page. */
  onPrevious?: () => void;
  /** Absent on the last page. */
  onNext?: () => void;
}

export function Pager({ first, count, total, limit, none, onLimit, onPrevious, onNext }: PagerProps) {
  const id = useId();
  const last = first + count - 1;
  return (
    <nav className="pager" aria-label="Pages of users">
      <p className="showing" aria-live="polite">
        {count === 0 ? none : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`}
      </p>
      <label htmlFor={id}>Users per page</label>
      {/* a new size starts again from the first page: a cursor marks a user, not a page number */}
      <select id={id} value={limit} onChange={(event) => onLimit(Number(event.target.value) as PageSize)}>
        {PAGE_SIZES.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </select>
      <button type="button" disabled={!onPrevious} onClick={onPrevious}>
        Previous page
      </button>
      <button type="button" disabled={!onNext} onClick={onNext}>
        Next page
      </button>
    </nav>
  );
}
