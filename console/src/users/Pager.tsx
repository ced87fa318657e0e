// The published paging as people use it: how many per page, previous and next, and where they
// are ("Showing 21–30 of 1,234"). The service counts; the console only asks for one page.
import { useId } from 'react';
import { formatCount } from './labels';

export const PAGE_SIZES = [10, 20, 50, 100] as const;

export interface Paging {
  offset: number;
  limit: number;
}

export function Pager({
  paging,
  total,
  onChange,
}: {
  paging: Paging;
  total: number;
  onChange: (paging: Paging) => void;
}) {
  const id = useId();
  const { offset, limit } = paging;
  const first = Math.min(offset + 1, total);
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label="Pages of users">
      <p className="showing" aria-live="polite">
        {total === 0 ? 'No users' : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`}
      </p>
      <label htmlFor={id}>Users per page</label>
      <select
        id={id}
        value={limit}
        // the first user on screen stays on the new page
        onChange={(event) => {
          const size = Number(event.target.value);
          onChange({ offset: Math.floor(offset / size) * size, limit: size });
        }}
      >
        {PAGE_SIZES.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onChange({ offset: Math.max(0, offset - limit), limit })}
      >
        Previous page
      </button>
      <button
        type="button"
        disabled={offset + limit >= total}
        onClick={() => onChange({ offset: offset + limit, limit })}
      >
        Next page
      </button>
    </nav>
  );
}
