// A column header the list can be sorted by: a button in the header cell, which sorts by the
// column ascending, or flips the order when it already sorts by it. The header cell says how the
// list is sorted (`aria-sort`), so a screen reader announces it with the column; the arrow is only
// for the eye.
import type { UserSort, UserSortField } from '../api';

interface SortableHeaderProps {
  field: UserSortField;
  label: string;
  sort: UserSort;
  onSort: (sort: UserSort) => void;
}

export function SortableHeader({ field, label, sort, onSort }: SortableHeaderProps) {
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined;
  return (
    <th scope="col" aria-sort={direction}>
      <button
        type="button"
        className="sort"
        onClick={() => onSort(direction === 'ascending' ? (`-${field}` as UserSort) : field)}
      >
        {label}
        <span aria-hidden="true" className="sort-mark">
          {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}
